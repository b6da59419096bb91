package dev.ringserver.server;

import dev.ringserver.sys.NativeMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A pool of fixed-size native blocks owned by one event loop: bytes waiting to be sent, request heads
 * that span receive buffers. Blocks are allocated lazily in slabs of {@value #CHUNKS_PER_SLAB}, up to
 * a hard limit; when the limit is reached, {@link #take()} returns -1 and the user applies
 * back-pressure or refuses the work.
 *
 * <p>Confined to the loop thread. The memory belongs to the loop's arena, keeps a stable address while
 * the kernel reads it, and is freed when the loop stops.
 */
public final class BlockPool {

    static final int CHUNKS_PER_SLAB = 64;

    private final Arena arena;
    private final int chunkSize;
    private final int maxChunks;
    private MemorySegment[] chunks = new MemorySegment[CHUNKS_PER_SLAB];
    private int[] free = new int[CHUNKS_PER_SLAB];
    private int freeCount;
    private int allocated;

    /**
     * @param arena     the loop's confined arena
     * @param maxBytes  the most memory the pool may hold
     */
    BlockPool(Arena arena, int chunkSize, long maxBytes) {
        this.arena = arena;
        this.chunkSize = chunkSize;
        this.maxChunks = (int) Math.max(CHUNKS_PER_SLAB, Math.min(Integer.MAX_VALUE, maxBytes / chunkSize));
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Chunks that {@link #take()} can still return (free or not yet allocated). */
    public int available() {
        return freeCount + (maxChunks - allocated);
    }

    /** Takes a chunk, or returns -1 when the pool is at its limit. */
    public int take() {
        if (freeCount == 0) {
            if (allocated == maxChunks) {
                return -1;
            }
            grow();
        }
        return free[--freeCount];
    }

    public void give(int id) {
        free[freeCount++] = id;
    }

    public MemorySegment segment(int id) {
        return chunks[id];
    }

    private void grow() {
        int count = Math.min(CHUNKS_PER_SLAB, maxChunks - allocated);
        // NATIVE: a slab in the loop's arena, freed when the loop stops; chunks are only handed to the
        // kernel for sends that complete before the loop closes its backend and then the arena.
        MemorySegment slab = NativeMemory.allocate(arena, (long) count * chunkSize, 64);
        if (allocated + count > chunks.length) {
            int capacity = Math.max(allocated + count, chunks.length * 2);
            chunks = Arrays.copyOf(chunks, capacity);
            free = Arrays.copyOf(free, capacity);
        }
        for (int i = 0; i < count; i++) {
            chunks[allocated + i] = slab.asSlice((long) i * chunkSize, chunkSize);
            free[freeCount++] = allocated + i;
        }
        allocated += count;
    }
}

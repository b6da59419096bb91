package dev.ringserver.io;

import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A fixed number of equal-sized receive buffers carved from one page-aligned native slab, with a
 * free list. Buffer ids are 0 to {@code count - 1}; {@link #segment(int)} returns the same segment
 * object for an id every time, so handing buffers around allocates nothing.
 *
 * <p>Confined to the event loop that created it. The slab's address is stable until the owning arena
 * closes, so the kernel may write into a buffer asynchronously.
 */
public final class BufferSlab {

    private final MemorySegment memory;
    private final MemorySegment[] segments;
    private final int size;
    private final int[] free;
    private int freeCount;

    /**
     * @param arena owns the slab; closing it frees every buffer
     */
    public BufferSlab(Arena arena, int count, int size) throws ErrnoException {
        // NATIVE: the slab belongs to `arena` (the backend's confined arena, closed by the loop thread
        // after every operation using these buffers has completed).
        this.memory = NativeMemory.allocatePages(arena, (long) count * size);
        this.size = size;
        this.segments = new MemorySegment[count];
        this.free = new int[count];
        for (int id = 0; id < count; id++) {
            segments[id] = memory.asSlice((long) id * size, size);
            free[id] = count - 1 - id;
        }
        this.freeCount = count;
    }

    /** The whole slab. */
    public MemorySegment memory() {
        return memory;
    }

    public int count() {
        return segments.length;
    }

    /** Bytes per buffer. */
    public int size() {
        return size;
    }

    public MemorySegment segment(int id) {
        return segments[id];
    }

    /** Takes a free buffer, or returns -1 when all are in use. */
    public int take() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Returns a buffer taken with {@link #take()}. */
    public void give(int id) {
        if (freeCount == free.length) {
            throw new IllegalStateException("buffer " + id + " released twice");
        }
        free[freeCount++] = id;
    }

    /** Free buffers. */
    public int available() {
        return freeCount;
    }
}

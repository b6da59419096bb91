package dev.ringserver.server;

import dev.ringserver.sys.NativeMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What a {@link LoopLocal} initializer may use: the loop itself and memory that lives as long as the
 * loop. Valid only during the initializer, on the loop's thread.
 */
public final class LoopResources {

    private final EventLoop loop;
    private final Arena arena;

    LoopResources(EventLoop loop, Arena arena) {
        this.loop = loop;
        this.arena = arena;
    }

    public EventLoop loop() {
        return loop;
    }

    /** A pool of {@code blockSize}-byte blocks holding at most {@code maxBytes}, freed when the loop stops. */
    public BlockPool blockPool(int blockSize, long maxBytes) {
        return new BlockPool(arena, blockSize, maxBytes);
    }

    /** Zeroed native memory freed when the loop stops. */
    public MemorySegment allocate(long bytes) {
        // NATIVE: in the loop's confined arena, freed when the loop stops, after its backend closed.
        return NativeMemory.allocate(arena, bytes, 64);
    }
}

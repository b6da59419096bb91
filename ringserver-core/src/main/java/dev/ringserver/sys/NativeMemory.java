package dev.ringserver.sys;

import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Allocates the off-heap memory ringserver hands to the kernel, and counts it.
 *
 * <p>Every allocation is tied to an {@link Arena}: closing the arena frees the memory (and unmaps
 * mappings) and subtracts it from {@link #inUse()}. Tests assert that {@code inUse()} returns to its
 * starting value after a server stops, which proves no native memory leaked. Thread-safe; the
 * counter is only touched when slabs are created or freed, never per request.
 */
public final class NativeMemory {

    private static final AtomicLong IN_USE = new AtomicLong();
    private static final long PAGE = 4096;

    private NativeMemory() {
    }

    /** Bytes currently allocated through this class and not yet freed. */
    public static long inUse() {
        return IN_USE.get();
    }

    /** Zeroed memory of {@code size} bytes aligned to {@code alignment}, freed when {@code arena} closes. */
    public static MemorySegment allocate(Arena arena, long size, long alignment) {
        MemorySegment segment = arena.allocate(size, alignment);
        return track(segment, arena);
    }

    /**
     * Page-aligned zeroed memory of at least {@code size} bytes: an anonymous private mapping on Linux
     * (pages are only backed once touched), otherwise an aligned allocation. Freed when {@code arena}
     * closes.
     */
    public static MemorySegment allocatePages(Arena arena, long size) throws ErrnoException {
        long length = (size + PAGE - 1) & -PAGE;
        if (!Platform.isLinuxSupported()) {
            return allocate(arena, length, PAGE);
        }
        MemorySegment address = LinuxMemory.mmap(length, LinuxAbi.PROT_READ | LinuxAbi.PROT_WRITE,
                LinuxAbi.MAP_PRIVATE | LinuxAbi.MAP_ANONYMOUS, -1, 0);
        // NATIVE: the mapping belongs to `arena`; munmap runs when the arena closes, on the closing thread.
        MemorySegment mapping = address.reinterpret(length, arena, m -> LinuxMemory.munmap(m, length));
        return track(mapping, arena);
    }

    /**
     * Counts memory whose lifetime the caller already tied to {@code arena} (for example a kernel
     * mapping such as an io_uring ring) and returns the segment unchanged in content.
     */
    public static MemorySegment track(MemorySegment segment, Arena arena) {
        long size = segment.byteSize();
        IN_USE.addAndGet(size);
        // NATIVE: the cleanup runs when `arena` closes, after its memory is released.
        return segment.reinterpret(arena, s -> IN_USE.addAndGet(-size));
    }
}

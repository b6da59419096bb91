package dev.ringserver.sys.linux;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bindings to {@code mmap} and {@code munmap}. Thread-safe.
 *
 * <p>{@link #mmap} returns a zero-length segment; callers {@code reinterpret} it to the mapped size and
 * tie {@link #munmap} to an arena so the mapping lives exactly as long as that arena.
 */
public final class LinuxMemory {

    private static final MethodHandle MMAP = NativeCalls.downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = NativeCalls.downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final long MAP_FAILED = -1L;

    private LinuxMemory() {
    }

    /**
     * Maps memory; returns the (zero-length) mapping, or throws for the errno.
     *
     * @param fd -1 for anonymous memory
     */
    public static MemorySegment mmap(long length, int protection, int flags, int fd, long offset)
            throws dev.ringserver.sys.ErrnoException {
        MemorySegment errno = NativeCalls.errnoState();
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, length, protection, flags, fd, offset);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
        if (address.address() == MAP_FAILED) {
            throw new dev.ringserver.sys.ErrnoException("mmap(" + length + " bytes)", NativeCalls.errno(errno));
        }
        return address;
    }

    public static int munmap(MemorySegment address, long length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) MUNMAP.invokeExact(errno, address, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }
}

package dev.ringserver.sys.linux;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bindings to the descriptor calls only Linux has, or has with Linux's prototype: pipes, eventfd,
 * {@code sendfile} and {@code splice}. The calls Linux shares with macOS (open, close, read, write,
 * fcntl) are in {@link dev.ringserver.sys.posix.PosixFiles}. Results are the value on success,
 * {@code -errno} on failure. Thread-safe.
 */
public final class LinuxFiles {

    private static final MethodHandle PIPE2 = NativeCalls.downcall("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EVENTFD = NativeCalls.downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDFILE = NativeCalls.downcall("sendfile",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SPLICE = NativeCalls.downcall("splice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private LinuxFiles() {
    }

    /** @param fds two native ints receiving the read and write ends */
    public static int pipe2(MemorySegment fds, int flags) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) PIPE2.invokeExact(errno, fds, flags), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int eventfd(int initialValue, int flags) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) EVENTFD.invokeExact(errno, initialValue, flags), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /**
     * Copies up to {@code count} bytes of {@code inFd} to {@code outFd} in the kernel.
     *
     * @param offset a native 64-bit file offset, read and advanced by the kernel
     */
    public static long sendfile(int outFd, int inFd, MemorySegment offset, long count) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((long) SENDFILE.invokeExact(errno, outFd, inFd, offset, count), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /** @param offIn and {@code offOut}: native 64-bit offsets, or {@link MemorySegment#NULL} for pipes */
    public static long splice(int fdIn, MemorySegment offIn, int fdOut, MemorySegment offOut, long length, int flags) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((long) SPLICE.invokeExact(errno, fdIn, offIn, fdOut, offOut, length, flags), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }
}

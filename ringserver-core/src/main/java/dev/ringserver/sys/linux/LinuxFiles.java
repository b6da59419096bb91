package dev.ringserver.sys.linux;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bindings to the Linux C library's descriptor calls: open, close, read, write, fcntl, pipes,
 * eventfd, {@code sendfile} and {@code splice}. Results follow the {@link LinuxSockets} convention:
 * the value on success, {@code -errno} on failure. Thread-safe.
 */
public final class LinuxFiles {

    // open(const char *path, int flags, ...): the mode is variadic.
    private static final MethodHandle OPEN = NativeCalls.downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = NativeCalls.downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = NativeCalls.downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = NativeCalls.downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    // fcntl(int fd, int cmd, ...): the argument is variadic.
    private static final MethodHandle FCNTL = NativeCalls.downcall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
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

    /** @param path a NUL-terminated native string */
    public static int open(MemorySegment path, int flags, int mode) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) OPEN.invokeExact(errno, path, flags, mode), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int close(int fd) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) CLOSE.invokeExact(errno, fd), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static long read(int fd, MemorySegment buffer, long length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((long) READ.invokeExact(errno, fd, buffer, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static long write(int fd, MemorySegment buffer, long length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((long) WRITE.invokeExact(errno, fd, buffer, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /** {@code fcntl} with an integer argument (ignored by commands that take none). */
    public static int fcntl(int fd, int command, int argument) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) FCNTL.invokeExact(errno, fd, command, argument), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
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

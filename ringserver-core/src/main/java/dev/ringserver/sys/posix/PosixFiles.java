package dev.ringserver.sys.posix;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bindings to the descriptor calls whose C prototypes are the same in glibc and in macOS's libSystem:
 * open, close, read, write and fcntl. The flags and commands passed to them are the OS's own
 * ({@code LinuxAbi}, {@code DarwinAbi}). {@code open} and {@code fcntl} are variadic and linked as
 * such, which matters on Apple arm64, where variadic arguments are passed on the stack. Results are
 * the value on success, {@code -errno} on failure. Thread-safe.
 */
public final class PosixFiles {

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

    private PosixFiles() {
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
}

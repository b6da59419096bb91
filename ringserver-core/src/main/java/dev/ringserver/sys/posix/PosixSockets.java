package dev.ringserver.sys.posix;

import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bindings to the socket calls whose C prototypes are the same in glibc and in macOS's libSystem, so
 * one binding serves both; the constants passed to them are the OS's own ({@code LinuxAbi},
 * {@code DarwinAbi}). Calls only one OS has live beside that OS's constants ({@code accept4} in
 * {@code LinuxSockets}). Each method returns the call's result when it succeeds and {@code -errno}
 * (in the OS's numbering) when it fails, never throwing, so hot paths can branch on the value; setup
 * code wraps results in {@link dev.ringserver.sys.ErrnoException#check(String, int)}.
 *
 * <p>Thread-safe: the handles are immutable and errno is captured per thread. Memory arguments must be
 * native segments; the calls are synchronous, so the kernel does not keep them after returning.
 */
public final class PosixSockets {

    private static final MethodHandle SOCKET = NativeCalls.downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = NativeCalls.downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = NativeCalls.downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = NativeCalls.downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = NativeCalls.downcall("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT = NativeCalls.downcall("accept",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CONNECT = NativeCalls.downcall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = NativeCalls.downcall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = NativeCalls.downcall("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    // recv and send take the buffer as a raw address (a pointer is 64 bits on every supported
    // platform: Linux and macOS on x86-64 and arm64) so that sending part of a segment needs no slice object on the hot path.
    private static final MethodHandle RECV = NativeCalls.downcall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = NativeCalls.downcall("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle WRITEV = NativeCalls.downcall("writev",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = NativeCalls.downcall("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private PosixSockets() {
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) SOCKET.invokeExact(errno, domain, type, protocol), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) SETSOCKOPT.invokeExact(errno, fd, level, name, value, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /** @param length in: the capacity of {@code value}; out: the option's length (a native int). */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) GETSOCKOPT.invokeExact(errno, fd, level, name, value, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int bind(int fd, MemorySegment address, int length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) BIND.invokeExact(errno, fd, address, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int listen(int fd, int backlog) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) LISTEN.invokeExact(errno, fd, backlog), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /**
     * Accepts a connection. The new descriptor's blocking mode and close-on-exec flag follow the OS's
     * rules; Linux code uses {@code LinuxSockets.accept4}, which sets both.
     *
     * @param address where to store the peer's address, or {@link MemorySegment#NULL}
     * @param length  its capacity in and the stored length out, or {@link MemorySegment#NULL}
     */
    public static int accept(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) ACCEPT.invokeExact(errno, fd, address, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int connect(int fd, MemorySegment address, int length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) CONNECT.invokeExact(errno, fd, address, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) GETSOCKNAME.invokeExact(errno, fd, address, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int getpeername(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) GETPEERNAME.invokeExact(errno, fd, address, length), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /**
     * Receives into {@code buffer[offset, offset + length)}; returns bytes received, 0 at end of stream,
     * or -errno. {@code buffer} must be native.
     */
    public static long recv(int fd, MemorySegment buffer, long offset, long length, int flags) {
        checkNative(buffer, offset, length);
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((long) RECV.invokeExact(errno, fd, buffer.address() + offset, length, flags), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /**
     * Sends {@code buffer[offset, offset + length)}; returns bytes sent (possibly fewer) or -errno.
     * {@code buffer} must be native.
     */
    public static long send(int fd, MemorySegment buffer, long offset, long length, int flags) {
        checkNative(buffer, offset, length);
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((long) SEND.invokeExact(errno, fd, buffer.address() + offset, length, flags), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /** Gathering write of {@code count} {@code struct iovec}s; returns bytes written or -errno. */
    public static long writev(int fd, MemorySegment iovecs, int count) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((long) WRITEV.invokeExact(errno, fd, iovecs, count), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    public static int shutdown(int fd, int how) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) SHUTDOWN.invokeExact(errno, fd, how), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    private static void checkNative(MemorySegment buffer, long offset, long length) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("socket I/O needs native memory, not a heap segment");
        }
        Objects.checkFromIndexSize(offset, length, buffer.byteSize());
    }

    /** Sets an {@code int} socket option; {@code name} names it in the exception. */
    public static void setIntOption(int fd, int level, int option, int value, String name) throws ErrnoException {
        // NATIVE: confined arena for the option value; setsockopt copies it synchronously.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment holder = arena.allocateFrom(JAVA_INT, value);
            ErrnoException.check("setsockopt(" + name + ")", setsockopt(fd, level, option, holder, 4));
        }
    }

    /** Reads an {@code int} socket option; {@code name} names it in the exception. */
    public static int getIntOption(int fd, int level, int option, String name) throws ErrnoException {
        // NATIVE: confined arena for the value and its length; getsockopt is synchronous.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment holder = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            ErrnoException.check("getsockopt(" + name + ")", getsockopt(fd, level, option, holder, length));
            return holder.get(JAVA_INT, 0);
        }
    }
}

package dev.ringserver.sys.linux;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Bindings to the socket calls only Linux has. The calls Linux shares with macOS are in
 * {@link dev.ringserver.sys.posix.PosixSockets}. Results are the value on success, {@code -errno} on
 * failure. Thread-safe.
 */
public final class LinuxSockets {

    private static final MethodHandle ACCEPT4 = NativeCalls.downcall("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    private LinuxSockets() {
    }

    /**
     * Accepts a connection and sets the new descriptor's flags ({@link LinuxAbi#SOCK_NONBLOCK},
     * {@link LinuxAbi#SOCK_CLOEXEC}) in the same call.
     *
     * @param address where to store the peer's address, or {@link MemorySegment#NULL}
     * @param length  its capacity in and the stored length out, or {@link MemorySegment#NULL}
     */
    public static int accept4(int fd, MemorySegment address, MemorySegment length, int flags) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) ACCEPT4.invokeExact(errno, fd, address, length, flags), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }
}

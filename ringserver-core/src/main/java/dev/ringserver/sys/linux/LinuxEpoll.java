package dev.ringserver.sys.linux;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Bindings to {@code epoll_create1}, {@code epoll_ctl} and {@code epoll_pwait}. Results follow the
 * {@link dev.ringserver.sys.posix.PosixSockets} convention. Thread-safe; {@code struct epoll_event} is
 * {@link LinuxAbi#EPOLL_EVENT}.
 */
public final class LinuxEpoll {

    private static final MethodHandle CREATE1 = NativeCalls.downcall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CTL = NativeCalls.downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle PWAIT = NativeCalls.downcall("epoll_pwait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));

    private LinuxEpoll() {
    }

    public static int create1(int flags) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) CREATE1.invokeExact(errno, flags), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /** @param event one {@code struct epoll_event}, or {@link MemorySegment#NULL} for {@code EPOLL_CTL_DEL} */
    public static int ctl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) CTL.invokeExact(errno, epfd, op, fd, event), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /**
     * Waits for events without changing the signal mask.
     *
     * @param timeoutMillis -1 to wait indefinitely, 0 to poll
     * @return the number of events stored, or -errno ({@code -EINTR} when a signal interrupted it)
     */
    public static int pwait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result(
                    (int) PWAIT.invokeExact(errno, epfd, events, maxEvents, timeoutMillis, MemorySegment.NULL), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }
}

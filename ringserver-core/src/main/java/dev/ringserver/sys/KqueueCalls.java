package dev.ringserver.sys;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Invokes {@code kqueue()} and {@code kevent()} through the handles a {@link Kqueue} implementation
 * linked from its library (libSystem, libkqueue), with errno captured: the calls are the same C
 * functions whichever library provides them, so only the linking differs between implementations.
 *
 * <p>Thread-safe (stateless).
 */
public final class KqueueCalls {

    private KqueueCalls() {
    }

    /** {@code kqueue()} through {@code handle} ({@code int kqueue(void)}, errno captured): the descriptor or -errno. */
    public static int kqueue(MethodHandle handle) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) handle.invokeExact(errno), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /** {@code kevent(...)} through {@code handle}, as {@link Kqueue#kevent} describes: a count or -errno. */
    public static int kevent(MethodHandle handle, int kq, MemorySegment changes, int nchanges, MemorySegment events,
            int nevents, MemorySegment timeout) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) handle.invokeExact(errno, kq, changes, nchanges, events, nevents, timeout),
                    errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }
}

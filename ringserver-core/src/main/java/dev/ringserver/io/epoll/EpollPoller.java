package dev.ringserver.io.epoll;

import dev.ringserver.io.readiness.Poller;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxEpoll;
import dev.ringserver.sys.linux.LinuxErrno;
import dev.ringserver.sys.linux.LinuxFiles;
import dev.ringserver.sys.posix.PosixFiles;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An edge-triggered epoll {@link Poller}. Each handle is registered once for input, output and
 * peer hang-up ({@code EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET}), so interest never changes and no
 * {@code epoll_ctl} runs on the hot path; closing a descriptor removes it from the set. Wake-ups go
 * through an eventfd in the same set.
 *
 * <p>Confined to the backend's thread, except {@link #wakeup()}.
 */
final class EpollPoller implements Poller {

    private static final long WAKEUP_DATA = -1L;
    private static final int HANDLE_EVENTS = LinuxAbi.EPOLLIN | LinuxAbi.EPOLLOUT | LinuxAbi.EPOLLRDHUP | LinuxAbi.EPOLLET;
    // NATIVE: the value 1 that wakeup() writes to the eventfd, in the global arena because any thread
    // may read it at any time; it is never written after initialisation.
    private static final MemorySegment ONE = Arena.global().allocateFrom(ValueLayout.JAVA_LONG, 1L);

    private final int epollFd;
    private final int wakeupFd;
    private final MemorySegment events;
    private final int maxEvents;
    private final MemorySegment control;
    private final MemorySegment drain;
    private long wakeups;

    /** @param arena the backend's confined arena, owning the event array and scratch memory */
    EpollPoller(Arena arena, int maxEvents) throws ErrnoException {
        this.maxEvents = maxEvents;
        // NATIVE: the event array, the epoll_ctl argument and the eventfd read target live in the
        // backend's arena; epoll copies them synchronously within each call.
        this.events = NativeMemory.allocate(arena, maxEvents * LinuxAbi.EPOLL_EVENT_SIZE, 8);
        this.control = NativeMemory.allocate(arena, LinuxAbi.EPOLL_EVENT_SIZE, 8);
        this.drain = NativeMemory.allocate(arena, 8, 8);
        this.epollFd = ErrnoException.check("epoll_create1", LinuxEpoll.create1(LinuxAbi.EPOLL_CLOEXEC));
        int eventFd = LinuxFiles.eventfd(0, LinuxAbi.EFD_NONBLOCK | LinuxAbi.EFD_CLOEXEC);
        if (eventFd < 0) {
            PosixFiles.close(epollFd);
            throw new ErrnoException("eventfd", -eventFd);
        }
        this.wakeupFd = eventFd;
        int rc = add(wakeupFd, LinuxAbi.EPOLLIN | LinuxAbi.EPOLLET, WAKEUP_DATA);
        if (rc < 0) {
            close();
            throw new ErrnoException("epoll_ctl(ADD eventfd)", -rc);
        }
    }

    @Override
    public void register(int handle) throws IOException {
        ErrnoException.check("epoll_ctl(ADD)", add(handle, HANDLE_EVENTS, handle));
    }

    @Override
    public void interest(int handle, boolean read, boolean write) {
        // Registered once for both directions, edge-triggered: nothing to change.
    }

    @Override
    public void deregister(int handle, boolean closing) {
        if (!closing) {
            LinuxEpoll.ctl(epollFd, LinuxAbi.EPOLL_CTL_DEL, handle, MemorySegment.NULL);
        }
        // A descriptor being closed leaves the epoll set by itself; EPOLL_CTL_DEL would only add a
        // system call per connection.
    }

    @Override
    public int wait(long timeoutNanos, ReadyHandler handler) throws IOException {
        int timeoutMillis = timeoutNanos < 0 ? -1
                : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int count = LinuxEpoll.pwait(epollFd, events, maxEvents, timeoutMillis);
        if (count < 0) {
            if (count == -LinuxErrno.EINTR) {
                return 0;
            }
            throw new ErrnoException("epoll_pwait", -count);
        }
        int reported = 0;
        for (int i = 0; i < count; i++) {
            long base = i * LinuxAbi.EPOLL_EVENT_SIZE;
            int mask = events.get(ValueLayout.JAVA_INT_UNALIGNED, base + LinuxAbi.EPOLL_EVENT_EVENTS);
            long data = events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + LinuxAbi.EPOLL_EVENT_DATA);
            if (data == WAKEUP_DATA) {
                PosixFiles.read(wakeupFd, drain, 8);
                wakeups++;
                continue;
            }
            handler.ready((int) data, translate(mask));
            reported++;
        }
        return reported;
    }

    @Override
    public void wakeup() {
        PosixFiles.write(wakeupFd, ONE, 8);
    }

    @Override
    public long wakeupsObserved() {
        return wakeups;
    }

    @Override
    public void close() {
        PosixFiles.close(wakeupFd);
        PosixFiles.close(epollFd);
    }

    private int add(int fd, int mask, long data) {
        control.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxAbi.EPOLL_EVENT_EVENTS, mask);
        control.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxAbi.EPOLL_EVENT_DATA, data);
        return LinuxEpoll.ctl(epollFd, LinuxAbi.EPOLL_CTL_ADD, fd, control);
    }

    private static int translate(int mask) {
        int events = 0;
        if ((mask & LinuxAbi.EPOLLIN) != 0) {
            events |= READABLE;
        }
        if ((mask & LinuxAbi.EPOLLOUT) != 0) {
            events |= WRITABLE;
        }
        if ((mask & LinuxAbi.EPOLLERR) != 0) {
            events |= ERROR;
        }
        if ((mask & (LinuxAbi.EPOLLHUP | LinuxAbi.EPOLLRDHUP)) != 0) {
            events |= HANGUP;
        }
        return events;
    }
}

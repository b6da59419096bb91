package dev.ringserver.sys;

import java.lang.foreign.MemorySegment;

/**
 * The two kqueue functions, {@code kqueue()} and {@code kevent()}, of one implementation: macOS's
 * libSystem ({@code dev.ringserver.sys.darwin.DarwinKqueue}) or the libkqueue userspace library on
 * Linux ({@code dev.ringserver.sys.linux.LibKqueue}). Each implementation links the functions once;
 * this interface lets one poller drive either. Results follow the binding convention: the value on
 * success, {@code -errno} on failure.
 *
 * <p>Thread-safe: {@code kevent} may be called from any thread (a wake-up trigger from another thread
 * is one), with memory the calling thread may access.
 */
public interface Kqueue {

    /** The constants and layouts that go with these functions. */
    KqueueAbi abi();

    /** A new kqueue descriptor, or -errno. Close it with {@code close(2)}. */
    int kqueue();

    /**
     * Whether closing a descriptor removes its registrations, as the kernel's kqueue does. libkqueue
     * does not notice closes: a descriptor's registrations must be deleted before it is closed, or a
     * new descriptor with the same number cannot be registered.
     */
    boolean closeRemovesRegistrations();

    /**
     * Whether changes may ride on a waiting {@code kevent} call: a change that fails there comes back
     * as an event flagged {@code EV_ERROR} and is counted in the result. True for the kernel's kqueue;
     * libkqueue 2.3 neither flags nor counts failed changes, so its changes are applied in calls of
     * their own with {@code EV_RECEIPT}.
     */
    boolean changesMayShareWait();

    /**
     * Applies {@code nchanges} kevents from {@code changes}, then waits for up to {@code nevents}
     * events into {@code events}.
     *
     * @param timeout a {@code struct timespec}, or {@link MemorySegment#NULL} to wait without limit
     * @return the number of kevents stored in {@code events} (events and failed changes), or -errno
     */
    int kevent(int kq, MemorySegment changes, int nchanges, MemorySegment events, int nevents, MemorySegment timeout);
}

package dev.ringserver.io.readiness;

import java.io.IOException;

/**
 * The readiness half of a readiness backend: registers interest in handles and waits for events.
 * epoll and kqueue are edge-triggered pollers; the NIO selector is level-triggered. The shared
 * {@link ReadinessBackend} works with both: it calls {@link #interest} whenever what it waits for
 * changes, which edge-triggered pollers (registered once for both directions) may ignore.
 *
 * <p>A poller may apply registrations later than {@link #register} (kqueue batches them into its next
 * {@code kevent} call). If one then fails, the poller reports it through
 * {@link ReadyHandler#lost}: it will never report that handle ready, so its operations must fail.
 *
 * <p>Confined to the backend's thread, except {@link #wakeup()}.
 */
public interface Poller extends AutoCloseable {

    int READABLE = 1;
    int WRITABLE = 2;
    int ERROR = 4;
    /** The peer closed its sending side or the connection is gone. */
    int HANGUP = 8;

    /** Receives events from {@link #wait}. */
    @FunctionalInterface
    interface ReadyHandler {

        /** {@code handle} is ready in the directions of {@code events} ({@link #READABLE}, ...). */
        void ready(int handle, int events);

        /**
         * A registration that {@link #register} accepted and deferred failed with {@code errno}: the
         * poller does not watch {@code handle}. By default reported as an error, which makes the
         * handle's next calls find out for themselves.
         */
        default void lost(int handle, int errno) {
            ready(handle, ERROR | HANGUP);
        }
    }

    /**
     * Starts watching a new handle (initially with no interest for level-triggered pollers).
     *
     * @throws IOException when the registration fails at once; a poller that defers registrations
     *                     reports a later failure through {@link ReadyHandler#lost}
     */
    void register(int handle) throws IOException;

    /** Says which directions the backend currently waits for on {@code handle}. */
    void interest(int handle, boolean read, boolean write);

    /**
     * Stops watching a handle.
     *
     * @param closing true when the handle is about to be closed (pollers that drop closed descriptors
     *                by themselves may skip work), false when it stays open and moves elsewhere
     */
    void deregister(int handle, boolean closing);

    /**
     * Waits up to {@code timeoutNanos} (0: do not block; negative: until an event or wakeup) and passes
     * each event to {@code handler}, lost registrations included. Wake-ups are consumed here and not
     * reported.
     *
     * @return the number of events reported
     */
    int wait(long timeoutNanos, ReadyHandler handler) throws IOException;

    /** Makes a current or the next {@link #wait} return. Any thread. */
    void wakeup();

    /** Wake-ups consumed so far (loop thread). */
    long wakeupsObserved();

    @Override
    void close();
}

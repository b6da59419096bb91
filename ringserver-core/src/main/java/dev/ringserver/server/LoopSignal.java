package dev.ringserver.server;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot rendezvous between one blocked thread and an event loop: the thread {@link #arm()}s it,
 * hands the loop a task, and {@link #await()}s; the loop {@link #complete()}s or {@link #fail}s it.
 * The loop side never blocks or locks. Whatever the loop wrote before completing is visible to the
 * thread after {@code await} returns (the state is volatile).
 *
 * <p>One waiting thread at a time; {@code complete} and {@code fail} on the loop thread only.
 */
final class LoopSignal {

    private static final Object IDLE = new Object();
    private static final Object PENDING = new Object();
    private static final Object DONE = new Object();

    private volatile Object state = IDLE;
    private volatile Thread waiter;

    /** Prepares for the next {@link #await()}; call before handing the loop the task that completes it. */
    void arm() {
        waiter = Thread.currentThread();
        state = PENDING;
    }

    /** Wakes the waiter normally; ignored unless armed and not yet completed. */
    void complete() {
        finish(DONE);
    }

    /** Wakes the waiter with {@code cause}; ignored unless armed and not yet completed. */
    void fail(Throwable cause) {
        finish(cause);
    }

    boolean isPending() {
        return state == PENDING;
    }

    /**
     * Blocks until the loop completes the signal.
     *
     * @throws IOException the failure the loop reported (wrapped unless it was one)
     * @throws InterruptedIOException when the waiting thread is interrupted
     */
    void await() throws IOException {
        while (state == PENDING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the event loop");
            }
        }
        Object result = state;
        state = IDLE;
        if (result instanceof IOException io) {
            throw new IOException(io.getMessage(), io); // a fresh trace shows where the caller waited
        }
        if (result instanceof Throwable failure) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    private void finish(Object result) {
        if (state == PENDING) {
            state = result;
            LockSupport.unpark(waiter);
        }
    }
}

package dev.ringserver.server;

import java.lang.foreign.MemorySegment;

/**
 * Receives a request body piece by piece, on the connection's event loop: exactly one call per
 * {@link RequestBody#read}.
 */
public interface BodyListener {

    /**
     * The next piece of the body: {@code data[offset, offset + length)}. The memory is reused once this
     * method returns; copy what must be kept. Call {@link RequestBody#read} again for more.
     */
    void onData(MemorySegment data, long offset, int length);

    /** The body is complete (also the answer for a request without a body). */
    void onEnd();

    /** The body cannot be completed: the client went away, sent malformed chunks or timed out. */
    default void onError(Throwable failure) {
    }
}

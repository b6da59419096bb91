package dev.ringserver.server;

/**
 * The body of the current request, delivered on demand: nothing is read from the socket until the
 * handler asks, so a slow consumer slows the client through TCP flow control. If the client sent
 * {@code Expect: 100-continue}, the first {@link #read} sends the {@code 100 Continue}.
 *
 * <p>After the response ends, an unread body is read and discarded (up to
 * {@link dev.ringserver.http.HttpConfig#maxDrainBytes()}) or the connection is closed.
 */
public final class RequestBody {

    private final Http1Connection engine;

    RequestBody(Http1Connection engine) {
        this.engine = engine;
    }

    /**
     * Asks for the next piece of the body: {@code listener} gets one {@link BodyListener#onData}, or
     * {@link BodyListener#onEnd} when the body is complete, or {@link BodyListener#onError}. Any thread;
     * the listener always runs on the loop. One read may be pending at a time.
     *
     * @throws IllegalStateException when a read is already pending or the exchange is over
     */
    public void read(BodyListener listener) {
        engine.read(listener);
    }

    /** The declared length, or -1 when the body is chunked or absent (see {@link #isChunked()}). */
    public long contentLength() {
        return engine.declaredBodyLength();
    }

    public boolean isChunked() {
        return engine.bodyIsChunked();
    }
}

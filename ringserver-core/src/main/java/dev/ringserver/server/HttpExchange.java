package dev.ringserver.server;

import dev.ringserver.http.HttpStatus;
import dev.ringserver.http.RequestHead;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One request and its response on a connection.
 *
 * <p>The objects are reused for the connection's next request once the response has ended, so keep
 * no reference to an exchange, its request head, body or response after {@link HttpResponse#end()}.
 * The request head and {@link #remoteAddress()} are loop-only; the response and body accept calls
 * from any thread.
 */
public final class HttpExchange {

    private final Http1Connection engine;
    private final RequestHead head;
    private final RequestBody body;
    private final HttpResponse response;
    private List<Consumer<Throwable>> abortListeners;
    private boolean aborted;

    HttpExchange(Http1Connection engine, RequestHead head, RequestBody body, HttpResponse response) {
        this.engine = engine;
        this.head = head;
        this.body = body;
        this.response = response;
    }

    /** The request head: views valid during {@link HttpHandler#handle}; {@link RequestHead#copy()} to keep it. */
    public RequestHead request() {
        return head;
    }

    public RequestBody body() {
        return body;
    }

    public HttpResponse response() {
        return response;
    }

    /** The event loop serving this connection, for running work in its order. */
    public EventLoop loop() {
        return engine.loop();
    }

    /** The client's address. Loop thread only. */
    public InetSocketAddress remoteAddress() throws IOException {
        return engine.connection().remoteAddress();
    }

    /**
     * Runs {@code listener} on the loop if the exchange ends without a complete response: the client
     * disconnected, a timeout fired or the connection failed. Use it to cancel work. Any thread.
     */
    public void onAbort(Consumer<Throwable> listener) {
        EventLoop loop = engine.loop();
        if (!loop.inLoop()) {
            loop.execute(() -> onAbort(listener));
            return;
        }
        if (aborted) {
            listener.accept(new IOException("the exchange was already aborted"));
            return;
        }
        if (abortListeners == null) {
            abortListeners = new ArrayList<>(2);
        }
        abortListeners.add(listener);
    }

    /**
     * Ends the exchange because the handler failed asynchronously: a 500 with {@code Connection: close}
     * when nothing was sent yet, else the connection is aborted. Any thread.
     */
    public void fail(Throwable cause) {
        fail(HttpStatus.INTERNAL_SERVER_ERROR, cause);
    }

    void fail(int status, Throwable cause) {
        EventLoop loop = engine.loop();
        if (!loop.inLoop()) {
            loop.execute(() -> fail(status, cause));
            return;
        }
        engine.handlerFailed(status, cause);
    }

    /** Whether the exchange ended without a complete response. */
    public boolean isAborted() {
        return aborted;
    }

    void begin() {
        aborted = false;
        if (abortListeners != null) {
            abortListeners.clear();
        }
    }

    /**
     * The response ended, so the exchange can no longer abort: its listeners (which capture the
     * handler's per-request objects) are dropped now rather than at the connection's next request.
     */
    void ended() {
        if (abortListeners != null) {
            abortListeners.clear();
        }
    }

    void aborted(Throwable cause) {
        if (aborted) {
            return;
        }
        aborted = true;
        if (abortListeners != null) {
            for (Consumer<Throwable> listener : abortListeners) {
                try {
                    listener.accept(cause);
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
            abortListeners.clear();
        }
    }
}

package dev.ringserver.server;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A handler that may block: it reads the request body from an {@code InputStream} and writes the
 * response to an {@code OutputStream}, each call waiting for the connection's event loop. Run it with
 * {@link #adapt(BlockingHttpHandler)}, which gives every request its own virtual thread.
 *
 * <p>At most one request per connection is in a handler at a time (pipelined requests wait for the
 * response before them), so the number of handler threads is bounded by the server's connection limit.
 */
@FunctionalInterface
public interface BlockingHttpHandler {

    /**
     * Handles one request on its own thread. When it returns, the response is completed as if
     * {@link BlockingExchange#responseBody()} were closed. An exception before anything was sent becomes
     * a 500 response; after, the connection is aborted.
     */
    void handle(BlockingExchange exchange) throws Exception;

    /** Runs {@code handler} for each request on a new virtual thread named {@code ringserver-http-N}. */
    static HttpHandler adapt(BlockingHttpHandler handler) {
        ThreadFactory threads = Thread.ofVirtual().name("ringserver-http-", 0).factory();
        return adapt(handler, task -> threads.newThread(task).start());
    }

    /**
     * Runs {@code handler} for each request through {@code executor}. When the executor refuses a
     * request, the client gets 503 Service Unavailable and the connection closes.
     */
    static HttpHandler adapt(BlockingHttpHandler handler, Executor executor) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(executor, "executor");
        return exchange -> BlockingExchange.dispatch(exchange, handler, executor);
    }
}

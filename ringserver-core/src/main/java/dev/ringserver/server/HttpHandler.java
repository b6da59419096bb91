package dev.ringserver.server;

/**
 * Handles HTTP requests on the connection's event loop. It must not block: it either answers at once
 * or arranges for the answer later (from any thread, through the exchange's response) and returns.
 * For blocking code, wrap it with {@link BlockingHttpHandler#adapt}.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles one request. The request head's views are valid until this method returns; use
     * {@link dev.ringserver.http.RequestHead#copy()} to keep it longer. An exception before the
     * response is committed becomes a 500 response; after, the connection is aborted.
     */
    void handle(HttpExchange exchange) throws Exception;
}

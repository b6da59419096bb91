package dev.ringserver.cli;

import dev.ringserver.http.HttpDate;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpHandler;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * {@code --hello}: answers every request with {@code 200 OK}, {@code Content-Type: text/plain} and
 * {@code Hello, World!}, through the full HTTP engine. Allocates nothing per request.
 */
public final class HelloHandler implements HttpHandler {

    private static final byte[] TEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final MemorySegment BODY = MemorySegment.ofArray(TEXT);

    @Override
    public void handle(HttpExchange exchange) {
        exchange.response().header("Content-Type", "text/plain").end(BODY, 0, TEXT.length);
    }

    /** The size of the response on a kept-alive HTTP/1.1 connection (the Date field has a fixed width). */
    public static int responseLength() {
        return ("HTTP/1.1 200 OK\r\nDate: \r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n").length()
                + HttpDate.LENGTH + TEXT.length;
    }
}

package dev.ringserver.cli;

import dev.ringserver.http.HttpMethod;
import dev.ringserver.http.RequestHead;
import dev.ringserver.server.BodyListener;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpHandler;
import dev.ringserver.server.HttpResponse;
import dev.ringserver.server.RequestBody;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * {@code --echo}: GET and HEAD get {@code 200} with a text body listing the request line and every
 * field as {@code name: value} lines, as the server parsed them; other methods get {@code 200} with the
 * request body echoed back byte for byte, streamed with back-pressure (the body is read only as fast
 * as the client reads the echo).
 */
public final class EchoHandler implements HttpHandler {

    @Override
    public void handle(HttpExchange exchange) {
        RequestHead head = exchange.request();
        HttpResponse response = exchange.response();
        if (head.method() == HttpMethod.GET || head.method() == HttpMethod.HEAD) {
            StringBuilder text = new StringBuilder(head.methodName()).append(' ').append(head.target())
                    .append(' ').append(head.version()).append('\n');
            for (int i = 0; i < head.headerCount(); i++) {
                text.append(head.headerName(i)).append(": ").append(head.headerValue(i)).append('\n');
            }
            response.header("Content-Type", "text/plain; charset=ISO-8859-1")
                    .end(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        String type = head.header("Content-Type");
        response.header("Content-Type", type != null ? type : "application/octet-stream");
        RequestBody body = exchange.body();
        if (body.contentLength() >= 0) {
            response.contentLength(body.contentLength());
        }
        body.read(new Echo(body, response));
    }

    /** Writes each piece back and asks for the next once the response can take it. */
    private record Echo(RequestBody body, HttpResponse response) implements BodyListener {
        @Override
        public void onData(MemorySegment data, long offset, int length) {
            response.write(data, offset, length);
            response.whenWritable(() -> body.read(this));
        }

        @Override
        public void onEnd() {
            response.end();
        }
    }
}

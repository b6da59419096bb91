package dev.ringserver.testing;

import dev.ringserver.server.BodyListener;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpHandler;
import dev.ringserver.server.HttpResponse;
import dev.ringserver.server.RequestBody;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Request bodies for the HTTP suites: test data, and handlers that read whole bodies. */
public final class TestBodies {

    private TestBodies() {
    }

    /** {@code size} bytes that are neither constant nor periodic, reproducible from {@code seed}. */
    public static byte[] pattern(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Copies a piece of body handed to a {@link BodyListener}. */
    public static byte[] copy(MemorySegment data, long offset, int length) {
        return data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Reads the whole body (one read at a time, each asked for from the previous {@code onData}), then
     * calls {@code onBody} on the loop; {@code onError} gets a failure of the body.
     */
    public static void readAll(HttpExchange exchange, Consumer<byte[]> onBody, Consumer<Throwable> onError) {
        RequestBody body = exchange.body();
        body.read(new BodyListener() {
            private final ByteArrayOutputStream received = new ByteArrayOutputStream();

            @Override
            public void onData(MemorySegment data, long offset, int length) {
                received.writeBytes(copy(data, offset, length));
                body.read(this);
            }

            @Override
            public void onEnd() {
                onBody.accept(received.toByteArray());
            }

            @Override
            public void onError(Throwable failure) {
                onError.accept(failure);
            }
        });
    }

    /**
     * Answers with {@code data} and a Content-Length, written in pieces as the response becomes writable
     * (a response may not queue more than the connection's outbound limit). On the loop.
     */
    public static void respondWith(HttpResponse response, byte[] data) {
        response.contentLength(data.length);
        new Runnable() {
            private int sent;

            @Override
            public void run() {
                while (sent < data.length && response.isWritable()) {
                    int n = Math.min(64 * 1024, data.length - sent);
                    response.write(MemorySegment.ofArray(data), sent, n);
                    sent += n;
                }
                if (sent == data.length) {
                    response.end();
                } else {
                    response.whenWritable(this);
                }
            }
        }.run();
    }

    /** A handler that reads the whole body and then lets {@code respond} answer. */
    public static HttpHandler collecting(BiConsumer<HttpExchange, byte[]> respond) {
        return exchange -> readAll(exchange, body -> respond.accept(exchange, body), failure -> { });
    }
}

package dev.ringserver.server;

import dev.ringserver.http.HttpDate;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The fixed responder used until the HTTP engine exists: every request head (found by its blank line,
 * CRLF CRLF) gets {@code 200 OK} with {@code Content-Type: text/plain} and the body
 * {@code Hello, World!}, keeping the connection alive. Pipelined requests are answered in order with
 * one write. A head longer than {@value #MAX_HEAD_BYTES} bytes gets {@code 431} and the connection is
 * closed.
 *
 * <p>It does not parse requests: bodies are not skipped, so it serves benchmarks and transport tests,
 * not real clients. One instance per connection, on the connection's loop.
 */
public final class HelloResponder implements ConnectionHandler {

    static final int MAX_HEAD_BYTES = 64 * 1024;

    private static final byte[] PREFIX = ("HTTP/1.1 200 OK\r\n"
            + "Server: ringserver\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 13\r\n"
            + "Date: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\r\n\r\nHello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final MemorySegment TOO_LARGE = MemorySegment.ofArray(("HTTP/1.1 431 Request Header Fields Too Large\r\n"
            + "Content-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

    private record Response(byte[] date, MemorySegment bytes) {
    }

    private static volatile Response response = new Response(new byte[0], MemorySegment.NULL);

    private final HeadBoundaryScanner scanner = new HeadBoundaryScanner();

    /** A factory for {@link RingServer.Builder#handler}. */
    public static ConnectionHandler.Factory factory() {
        return connection -> new HelloResponder();
    }

    @Override
    public int onRead(Connection connection, MemorySegment data, int offset, int length) {
        int requests = scanner.scan(data.asSlice(offset, length), length);
        MemorySegment bytes = current();
        for (int i = 0; i < requests; i++) {
            if (!connection.write(bytes, 0, bytes.byteSize())) {
                connection.abort(); // the client pipelines far more than it reads
                return length;
            }
        }
        if (scanner.unfinishedBytes() > MAX_HEAD_BYTES) {
            connection.write(TOO_LARGE, 0, TOO_LARGE.byteSize());
            connection.close();
        }
        connection.flush();
        return length;
    }

    /** The size of every 200 response (the Date header has a fixed width). */
    public static long responseLength() {
        return current().byteSize();
    }

    /** The response for the current second (the Date header changes once a second). */
    static MemorySegment current() {
        byte[] date = HttpDate.now();
        Response cached = response;
        if (cached.date() != date) {
            byte[] bytes = new byte[PREFIX.length + date.length + SUFFIX.length];
            System.arraycopy(PREFIX, 0, bytes, 0, PREFIX.length);
            System.arraycopy(date, 0, bytes, PREFIX.length, date.length);
            System.arraycopy(SUFFIX, 0, bytes, PREFIX.length + date.length, SUFFIX.length);
            cached = new Response(date, MemorySegment.ofArray(bytes));
            response = cached;
        }
        return cached.bytes();
    }
}

package dev.ringserver.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on a plain {@link Socket}, for tests that need exact bytes: it writes
 * whatever it is given (malformed input included), and reads responses with their framing
 * (Content-Length, chunked, close-delimited, or none for HEAD, 1xx, 204 and 304), keeping the raw
 * bytes of each. Every read is bounded by the socket timeout, so a server that stays silent fails the
 * test instead of hanging it. Not thread-safe, except that one thread may write while another reads.
 */
public final class RawHttpClient implements Closeable {

    /** How the server ended the connection. */
    public enum Ending {
        /** An orderly close: read returned -1. */
        EOF,
        /** The connection was reset. */
        RESET
    }

    /**
     * One response as received.
     *
     * @param status  the status code
     * @param reason  the reason phrase
     * @param version the version in the status line
     * @param headers the fields in order
     * @param body    the body after removing any chunked framing
     * @param raw     every byte of the response as it was on the wire
     */
    public record Response(int status, String reason, String version, List<Map.Entry<String, String>> headers,
                           byte[] body, byte[] raw) {

        /** The first value of {@code name} (any case), or null. */
        public String header(String name) {
            for (Map.Entry<String, String> field : headers) {
                if (field.getKey().equalsIgnoreCase(name)) {
                    return field.getValue();
                }
            }
            return null;
        }

        /** Every value of {@code name} (any case), in order. */
        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> field : headers) {
                if (field.getKey().equalsIgnoreCase(name)) {
                    values.add(field.getValue());
                }
            }
            return values;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        public String rawText() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        /** The raw response with the Date field's value replaced by {@code *}, for exact comparisons. */
        public String rawWithoutDate() {
            return rawText().replaceFirst("\r\nDate: [^\r\n]*\r\n", "\r\nDate: *\r\n");
        }

        /** The head (status line through the blank line) as received. */
        public String headText() {
            String text = rawText();
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end + 4);
        }

        @Override
        public String toString() {
            return rawText();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private ByteArrayOutputStream capture;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code address} with a 10 s read timeout. */
    public static RawHttpClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, 5000);
            socket.setSoTimeout(10_000);
            return new RawHttpClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Socket socket() {
        return socket;
    }

    /** Sets how long any read may wait. */
    public RawHttpClient timeout(Duration timeout) throws SocketException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        return this;
    }

    /** Writes ISO-8859-1 text in one write. */
    public RawHttpClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes bytes in one write. */
    public RawHttpClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Writes the bytes in pieces of {@code pieceSize}, one write each (Nagle is off). */
    public RawHttpClient sendInPieces(byte[] bytes, int pieceSize) throws IOException {
        for (int i = 0; i < bytes.length; i += pieceSize) {
            out.write(bytes, i, Math.min(pieceSize, bytes.length - i));
            out.flush();
        }
        return this;
    }

    public RawHttpClient sendInPieces(String text, int pieceSize) throws IOException {
        return sendInPieces(text.getBytes(StandardCharsets.ISO_8859_1), pieceSize);
    }

    /** Reads the response to a request other than HEAD. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads the response to a HEAD request: never a body. */
    public Response readHeadResponse() throws IOException {
        return read(true);
    }

    /** Reads one response (a 1xx included, which has no body). */
    public Response read(boolean headRequest) throws IOException {
        capture = new ByteArrayOutputStream();
        try {
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not a status line: '" + statusLine + "'");
            }
            int status = Integer.parseInt(parts[1]);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (String field = line(); !field.isEmpty(); field = line()) {
                int colon = field.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed field line: '" + field + "'");
                }
                headers.add(Map.entry(field.substring(0, colon), field.substring(colon + 1).strip()));
            }
            String contentLength = null;
            String transferEncoding = null;
            for (Map.Entry<String, String> field : headers) {
                String name = field.getKey().toLowerCase(Locale.ROOT);
                if (name.equals("content-length")) {
                    contentLength = field.getValue();
                } else if (name.equals("transfer-encoding")) {
                    transferEncoding = field.getValue();
                }
            }
            byte[] body;
            if (headRequest || status < 200 || status == 204 || status == 304) {
                body = new byte[0];
            } else if (transferEncoding != null) {
                if (!transferEncoding.equalsIgnoreCase("chunked")) {
                    throw new IOException("unexpected Transfer-Encoding: " + transferEncoding);
                }
                body = chunkedBody();
            } else if (contentLength != null) {
                body = bytes(Integer.parseInt(contentLength));
            } else {
                body = toEnd(); // close-delimited
            }
            return new Response(status, parts.length > 2 ? parts[2] : "", parts[0], List.copyOf(headers), body,
                    capture.toByteArray());
        } finally {
            capture = null;
        }
    }

    /** Reads {@code n} responses in order (none to HEAD requests). */
    public List<Response> read(int n) throws IOException {
        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            responses.add(read());
        }
        return responses;
    }

    /**
     * Waits for the connection to end and says how, failing if any byte arrives first.
     *
     * @throws SocketTimeoutException when the connection stays open past the read timeout
     */
    public Ending awaitClose() throws IOException {
        try {
            int b = next();
            if (b >= 0) {
                byte[] more = readAvailable();
                throw new AssertionError("expected the connection to close, but received '"
                        + (char) b + new String(more, StandardCharsets.ISO_8859_1) + "'");
            }
            return Ending.EOF;
        } catch (SocketException e) {
            if (isReset(e)) {
                return Ending.RESET;
            }
            throw e;
        }
    }

    /** Reads until the connection ends (orderly or reset), returning everything received. */
    public byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = next()) >= 0) {
                all.write(b);
            }
        } catch (SocketException e) {
            if (!isReset(e)) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    /**
     * Asserts that nothing arrives (and the connection stays open) for {@code wait}; restores the
     * previous read timeout.
     */
    public void assertNothingWithin(Duration wait) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(Math.toIntExact(wait.toMillis()));
        try {
            int b = next();
            if (b < 0) {
                throw new AssertionError("expected no response yet, but the connection closed");
            }
            throw new AssertionError("expected no response yet, but received '" + (char) b
                    + new String(readAvailable(), StandardCharsets.ISO_8859_1) + "'");
        } catch (SocketTimeoutException expected) {
            // nothing arrived
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    /** Whether everything received so far has been consumed. */
    public boolean nothingBuffered() {
        return position == limit;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public static boolean isReset(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Connection reset") || message.contains("Broken pipe");
    }

    // ---- reading

    private byte[] readAvailable() throws IOException {
        ByteArrayOutputStream more = new ByteArrayOutputStream();
        more.write(buffer, position, limit - position);
        position = limit;
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(100);
        try {
            int n;
            byte[] chunk = new byte[4096];
            while (more.size() < 4096 && (n = in.read(chunk)) > 0) {
                more.write(chunk, 0, n);
            }
        } catch (IOException ignored) {
            // what arrived is enough for the message
        } finally {
            socket.setSoTimeout(previous);
        }
        return more.toByteArray();
    }

    /** Makes sure a byte is buffered; false at end of stream. */
    private boolean fill() throws IOException {
        if (position == limit) {
            int n = in.read(buffer);
            if (n < 0) {
                return false;
            }
            position = 0;
            limit = n;
        }
        return true;
    }

    private int next() throws IOException {
        if (!fill()) {
            return -1;
        }
        byte b = buffer[position++];
        if (capture != null) {
            capture.write(b);
        }
        return b & 0xFF;
    }

    private int nextOrFail() throws IOException {
        int b = next();
        if (b < 0) {
            throw new IOException("connection closed in the middle of a response after: '"
                    + (capture == null ? "" : capture.toString(StandardCharsets.ISO_8859_1)) + "'");
        }
        return b;
    }

    /** A line ending in CR LF (a bare LF is a protocol error here: the server must send CR LF). */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = nextOrFail();
            if (b == '\r') {
                int lf = nextOrFail();
                if (lf != '\n') {
                    throw new IOException("CR without LF after '" + line + "'");
                }
                return line.toString();
            }
            if (b == '\n') {
                throw new IOException("bare LF after '" + line + "'");
            }
            line.append((char) b);
        }
    }

    private byte[] bytes(int n) throws IOException {
        byte[] result = new byte[n];
        int filled = 0;
        while (filled < n) {
            if (!fill()) {
                throw new IOException("connection closed after " + filled + " of " + n + " body bytes");
            }
            int take = Math.min(n - filled, limit - position);
            System.arraycopy(buffer, position, result, filled, take);
            if (capture != null) {
                capture.write(buffer, position, take);
            }
            position += take;
            filled += take;
        }
        return result;
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int semicolon = sizeLine.indexOf(';');
            String hex = semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon);
            if (hex.isEmpty() || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IOException("malformed chunk size line: '" + sizeLine + "'");
            }
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailer fields
                }
                return body.toByteArray();
            }
            body.write(bytes(size));
            if (!line().isEmpty()) {
                throw new IOException("chunk data not followed by CR LF");
            }
        }
    }

    private byte[] toEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int b;
        while ((b = next()) >= 0) {
            body.write(b);
        }
        return body.toByteArray();
    }
}

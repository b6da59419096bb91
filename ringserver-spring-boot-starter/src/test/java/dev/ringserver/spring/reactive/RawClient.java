package dev.ringserver.spring.reactive;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 client on a plain socket, for tests that need exact bytes or exact timing: it
 * writes what it is given and reads heads, bodies (Content-Length, chunked, or to the end) and single
 * chunks as they arrive. Every read is bounded by the socket timeout, so a silent server fails the
 * test instead of hanging it.
 */
final class RawClient implements Closeable {

    /** A response head. */
    record Head(int status, List<Map.Entry<String, String>> headers) {

        String header(String name) {
            for (Map.Entry<String, String> field : headers) {
                if (field.getKey().equalsIgnoreCase(name)) {
                    return field.getValue();
                }
            }
            return null;
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> field : headers) {
                if (field.getKey().equalsIgnoreCase(name)) {
                    values.add(field.getValue());
                }
            }
            return values;
        }

        boolean chunked() {
            String coding = header("Transfer-Encoding");
            return coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
        }

        long contentLength() {
            String length = header("Content-Length");
            return length == null ? -1 : Long.parseLong(length);
        }
    }

    /** A whole response. */
    record Response(Head head, byte[] body) {

        int status() {
            return head.status();
        }

        String header(String name) {
            return head.header(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** @param receiveBuffer the socket's receive buffer (a small one makes a slow reader), 0 for the default */
    static RawClient connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
        }
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawClient(socket);
    }

    Socket socket() {
        return socket;
    }

    InputStream input() {
        return in;
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a request and reads its response ({@code head} says whether a body can follow). */
    Response exchange(String request) throws IOException {
        send(request);
        return read(request.startsWith("HEAD "));
    }

    Response read(boolean headRequest) throws IOException {
        Head head = readHead();
        if (head.status() == 100) {
            head = readHead();
        }
        return new Response(head, readBody(head, headRequest));
    }

    Head readHead() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
        }
        return new Head(status, headers);
    }

    byte[] readBody(Head head, boolean headRequest) throws IOException {
        if (headRequest || head.status() == 204 || head.status() == 304) {
            return new byte[0];
        }
        if (head.chunked()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk()) {
                body.writeBytes(chunk);
            }
            return body.toByteArray();
        }
        long length = head.contentLength();
        return length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
    }

    /** The next chunk's data, or null after the last chunk (and its empty trailer section). */
    byte[] readChunk() throws IOException {
        String line = readLine();
        int extension = line.indexOf(';');
        int size = Integer.parseInt(extension < 0 ? line : line.substring(0, extension), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailer fields
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new EOFException("chunk cut short: " + data.length + " of " + size);
        }
        readLine();
        return data;
    }

    /** Reads until the server closes; says whether the connection was reset rather than closed. */
    boolean readUntilClosed(ByteArrayOutputStream sink) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sink.write(buffer, 0, n);
            }
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after '" + line + "'");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.ringserver.spring.metrics;

import dev.ringserver.server.RingServer;
import dev.ringserver.spring.server.RingWebServer;
import org.springframework.boot.web.server.Shutdown;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A {@link RingWebServer} over a plain core handler, for tests of what reads the server's counters:
 * no Spring adapter involved, real sockets and the real engine.
 */
final class CoreServers {

    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private CoreServers() {
    }

    /** A web server on an ephemeral loopback port with {@code loops} event loops, answering "ok". */
    static RingWebServer webServer(int loops) {
        return new RingWebServer(() -> RingServer.builder()
                .address(InetAddress.getLoopbackAddress())
                .port(0)
                .loops(loops)
                .http(exchange -> exchange.response().header("Content-Type", "text/plain").end(OK))
                .build(), 0, Shutdown.IMMEDIATE);
    }

    /** Sends {@code count} GET requests on one connection (HTTP/1.1 keep-alive). */
    static void get(int port, int count) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < count; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("unexpected status " + response.statusCode());
                }
            }
        }
    }

    /** Sends a malformed request line and returns the status line of the answer. */
    static String sendMalformed(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("NOT A REQUEST\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        }
    }
}

package dev.ringserver.conformance;

import dev.ringserver.io.FileHandle;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpResponse;
import dev.ringserver.server.RingServer;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.HttpFixture;
import dev.ringserver.testing.RawHttpClient;
import dev.ringserver.testing.TestBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.ringserver.testing.TestBodies.ascii;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * File regions in responses ({@link HttpResponse#sendFile}), end to end on one backend: with
 * Content-Length and chunked, between ordinary body bytes, sub-ranges, HEAD, large files to a slow
 * reader, pipelined file responses, and a file that shrinks after it was opened. The fixture's leak
 * check after each test also proves every file was closed.
 */
abstract class HttpFileConformance {

    private static final int LARGE = 8 << 20;

    HttpFixture fixture;

    @TempDir
    Path tempDir;

    protected abstract BackendUnderTest backendUnderTest();

    @BeforeEach
    void setUp() {
        fixture = new HttpFixture(backendUnderTest());
    }

    @AfterEach
    void stopAndCheckLeaks() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void sendsAFileWithContentLengthAndKeepsTheConnection() throws Exception {
        byte[] content = TestBodies.pattern(300_000, 1);
        Path file = write("a.bin", content);
        RingServer server = fixture.start(exchange -> {
            // Opening blocks on the file system; a temp file is in the page cache, so the test does it
            // on the loop for brevity. The off-loop way is in the tests below.
            FileHandle handle = exchange.loop().openFile(file);
            exchange.response().contentLength(content.length).sendFile(handle, 0, content.length);
            exchange.response().end();
        });
        RawHttpClient client = fixture.connect(server);
        for (int i = 0; i < 3; i++) {
            client.send("GET /a.bin HTTP/1.1\r\nHost: test\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(content.length));
            assertThat(response.body()).isEqualTo(content);
        }
    }

    @Test
    void placesARegionBetweenBodyBytesOpenedOffTheLoop() throws Exception {
        byte[] content = TestBodies.pattern(100_000, 2);
        Path file = write("b.bin", content);
        RingServer server = fixture.start(exchange -> openOffLoop(exchange, file, (handle, response) -> {
            byte[] prefix = ascii("prefix:");
            byte[] suffix = ascii(":suffix");
            response.contentLength(prefix.length + 5000 + suffix.length);
            response.write(prefix);
            response.sendFile(handle, 1000, 5000);
            response.end(suffix);
        }));
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        RawHttpClient.Response response = client.read();
        byte[] expected = concat(ascii("prefix:"), Arrays.copyOfRange(content, 1000, 6000), ascii(":suffix"));
        assertThat(response.body()).isEqualTo(expected);
    }

    @Test
    void chunksRegionsOfUnknownTotalLength() throws Exception {
        byte[] content = TestBodies.pattern(70_000, 3);
        Path file = write("c.bin", content);
        RingServer server = fixture.start(exchange -> openOffLoop(exchange, file, (first, response) -> {
            FileHandle second = exchange.loop().openFile(file);
            response.sendFile(first, 0, 30_000);
            response.write(ascii("|"));
            response.sendFile(second, 30_000, 40_000);
            response.end();
        }));
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        RawHttpClient.Response response = client.read();
        assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(response.body()).isEqualTo(concat(Arrays.copyOfRange(content, 0, 30_000), ascii("|"),
                Arrays.copyOfRange(content, 30_000, 70_000)));
        // and the connection is still usable
        client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(client.read().body()).hasSize(70_001);
    }

    @Test
    void delimitsAFileByClosingOnHttp10() throws Exception {
        byte[] content = TestBodies.pattern(50_000, 4);
        Path file = write("d.bin", content);
        RingServer server = fixture.start(exchange -> openOffLoop(exchange, file, (handle, response) -> {
            response.sendFile(handle, 0, content.length);
            response.end();
        }));
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.0\r\n\r\n");
        byte[] raw = client.readUntilClosed();
        String text = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n");
        assertThat(Arrays.copyOfRange(raw, bodyStart, raw.length)).isEqualTo(content);
    }

    @Test
    void answersHeadWithTheLengthAndClosesTheUnsentFile() throws Exception {
        byte[] content = TestBodies.pattern(20_000, 5);
        Path file = write("e.bin", content);
        RingServer server = fixture.start(exchange -> openOffLoop(exchange, file, (handle, response) -> {
            response.contentLength(content.length).sendFile(handle, 0, content.length);
            response.end();
        }));
        RawHttpClient client = fixture.connect(server);
        client.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n");
        RawHttpClient.Response head = client.readHeadResponse();
        assertThat(head.header("Content-Length")).isEqualTo("20000");
        assertThat(head.body()).isEmpty();
        client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(client.read().body()).isEqualTo(content);
    }

    @Test
    void sendsALargeFileToASlowReader() throws Exception {
        byte[] content = TestBodies.pattern(LARGE, 6);
        Path file = write("large.bin", content);
        RingServer server = fixture.start(exchange -> openOffLoop(exchange, file, (handle, response) -> {
            response.contentLength(content.length).sendFile(handle, 0, content.length);
            response.end();
        }));
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        // 8 MiB is more than loopback's socket buffers hold: the server meets a full buffer and
        // must wait for the reader, then go on from where sendfile stopped.
        Thread.sleep(300);
        RawHttpClient.Response response = client.timeout(Duration.ofSeconds(60)).read();
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void answersPipelinedFileRequestsInOrder() throws Exception {
        byte[] first = TestBodies.pattern(200_000, 7);
        byte[] second = TestBodies.pattern(150_000, 8);
        Path firstFile = write("1.bin", first);
        Path secondFile = write("2.bin", second);
        RingServer server = fixture.start(exchange -> {
            Path file = exchange.request().path().equals("/1") ? firstFile : secondFile;
            openOffLoop(exchange, file, (handle, response) -> {
                long size = Files.size(file);
                response.contentLength(size).sendFile(handle, 0, size);
                response.end();
            });
        });
        RawHttpClient client = fixture.connect(server);
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            requests.append("GET /").append(i % 2 + 1).append(" HTTP/1.1\r\nHost: test\r\n\r\n");
        }
        client.send(requests.toString());
        List<RawHttpClient.Response> responses = client.timeout(Duration.ofSeconds(30)).read(10);
        for (int i = 0; i < 10; i++) {
            assertThat(responses.get(i).body()).as("response %d", i).isEqualTo(i % 2 == 0 ? first : second);
        }
    }

    @Test
    void servesTheJdkClient() throws Exception {
        byte[] content = TestBodies.pattern(1 << 20, 9);
        Path file = write("f.bin", content);
        RingServer server = fixture.start(exchange -> openOffLoop(exchange, file, (handle, response) -> {
            response.header("Content-Type", "application/octet-stream").contentLength(content.length);
            response.sendFile(handle, 0, content.length);
            response.end();
        }));
        java.net.http.HttpResponse<byte[]> response = fixture.httpClient().send(
                HttpRequest.newBuilder(HttpFixture.uri(server, "/f.bin")).build(), BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void refusesARegionOutsideTheFileWith500() throws Exception {
        Path file = write("g.bin", TestBodies.pattern(1000, 10));
        RingServer server = fixture.start(exchange -> {
            FileHandle handle = exchange.loop().openFile(file);
            exchange.response().sendFile(handle, 500, 501); // closes the file, then throws
        });
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(client.read().status()).isEqualTo(500);
    }

    @Test
    void endsTheConnectionWhenTheFileShrinksAfterOpening() throws Exception {
        byte[] content = TestBodies.pattern(2 << 20, 11);
        Path file = write("h.bin", content);
        RingServer server = fixture.start(exchange -> openOffLoop(exchange, file, (handle, response) -> {
            try (RandomAccessFile shrink = new RandomAccessFile(file.toFile(), "rw")) {
                shrink.setLength(1000);
            }
            response.contentLength(content.length).sendFile(handle, 0, content.length);
            response.end();
        }));
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        byte[] raw = client.timeout(Duration.ofSeconds(20)).readUntilClosed();
        String head = new String(raw, 0, Math.min(raw.length, 200), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + content.length);
        assertThat(raw.length).as("fewer bytes than announced, then the close").isLessThan(content.length);
    }

    // ---- helpers

    /** What a handler does with the file once it is open; runs off the loop. */
    interface FileResponder {
        void respond(FileHandle file, HttpResponse response) throws Exception;
    }

    /** Opens {@code file} off the loop, as handlers should, and responds from there. */
    private void openOffLoop(HttpExchange exchange, Path file, FileResponder responder) {
        CompletableFuture<Void> done = fixture.async(() -> {
            FileHandle handle = exchange.loop().openFile(file);
            responder.respond(handle, exchange.response());
            return null;
        });
        done.whenComplete((ignored, failure) -> {
            if (failure != null) {
                exchange.fail(failure);
            }
        });
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(tempDir.resolve(name), content);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}

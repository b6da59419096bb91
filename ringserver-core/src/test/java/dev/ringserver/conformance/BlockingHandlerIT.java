package dev.ringserver.conformance;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.server.BlockingExchange;
import dev.ringserver.server.BlockingHttpHandler;
import dev.ringserver.server.EventLoop;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocking adapter end to end, on every backend: streams over real sockets, back-pressure, 100
 * Continue, failures and client disconnects. The adapter sits above the transport, so one class runs
 * each test once per backend.
 */
class BlockingHandlerIT {

    private final List<RingServer> servers = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private Leaks leaks;

    static Stream<BackendUnderTest> backends() {
        return Stream.of(BackendUnderTest.ioUring(), BackendUnderTest.ioUringMinimal(), BackendUnderTest.epoll(),
                BackendUnderTest.kqueue(), BackendUnderTest.nio());
    }

    @AfterEach
    void stopAndCheckLeaks() throws Exception {
        if (leaks == null) {
            return;
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        for (RingServer server : servers) {
            server.stop();
            for (EventLoop loop : server.loops()) {
                assertThat(loop.counters().get(LoopCounter.ACTIVE)).isZero();
            }
        }
        leaks.assertNoLeaks();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void smallResponseLeavesWithContentLength(BackendUnderTest backend) throws Exception {
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            exchange.status(201).header("X-Path", exchange.request().path());
            exchange.responseBody().write("made it".getBytes(StandardCharsets.US_ASCII));
        }), HttpConfig.DEFAULT);
        Socket socket = connect(server);
        socket.getOutputStream().write("GET /a/b HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String response = readHead(socket.getInputStream());
        assertThat(response).startsWith("HTTP/1.1 201 Created\r\n").contains("\r\nX-Path: /a/b\r\n")
                .contains("\r\nContent-Length: 7\r\n").doesNotContain("Transfer-Encoding");
        assertThat(new String(socket.getInputStream().readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("made it");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void echoesLargeBodiesThroughTheStreams(BackendUnderTest backend) throws Exception {
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            try (InputStream in = exchange.requestBody(); OutputStream out = exchange.responseBody()) {
                in.transferTo(out);
            }
        }), HttpConfig.DEFAULT);
        // The JDK client reads the response only after sending the whole request, so its bodies stay within
        // what the socket buffers hold; the large echo uses a raw socket that reads while it writes.
        byte[] body = new byte[1 << 20];
        new Random(11).nextBytes(body);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> sized = client.send(HttpRequest.newBuilder(uri(server, "/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(sized.statusCode()).isEqualTo(200);
            assertThat(sized.headers().firstValue("transfer-encoding")).hasValue("chunked");
            assertThat(Arrays.equals(sized.body(), body)).as("echoed byte for byte").isTrue();
            HttpResponse<byte[]> streamed = client.send(HttpRequest.newBuilder(uri(server, "/"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(Arrays.equals(streamed.body(), body)).as("a chunked upload echoed byte for byte").isTrue();
        }
        byte[] large = new byte[24 << 20];
        new Random(12).nextBytes(large);
        Socket socket = connect(server);
        Thread writer = Thread.ofPlatform().start(() -> { // a virtual thread's socket I/O would open JDK pollers
            try {
                OutputStream out = socket.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: " + large.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(large);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        InputStream in = socket.getInputStream();
        assertThat(readHead(in)).contains("Transfer-Encoding: chunked");
        ByteArrayOutputStream echoed = new ByteArrayOutputStream(large.length);
        for (long size; (size = Long.parseLong(readLine(in), 16)) > 0; ) {
            echoed.write(in.readNBytes((int) size));
            assertThat(readLine(in)).isEmpty();
        }
        assertThat(readLine(in)).isEmpty();
        writer.join();
        assertThat(Arrays.equals(echoed.toByteArray(), large)).as("24 MiB echoed byte for byte").isTrue();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sendsContinueWhenTheHandlerReads(BackendUnderTest backend) throws Exception {
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            byte[] body = exchange.requestBody().readAllBytes();
            exchange.responseBody().write(("got " + body.length).getBytes(StandardCharsets.US_ASCII));
        }), HttpConfig.DEFAULT);
        Socket socket = connect(server);
        OutputStream out = socket.getOutputStream();
        out.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket.getInputStream())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        out.write("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 5\r\n");
        assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("got 5");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void slowReaderHoldsTheWriterBack(BackendUnderTest backend) throws Exception {
        AtomicLong written = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long total = 64L << 20;
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            exchange.contentLength(total);
            byte[] block = new byte[8192];
            OutputStream out = exchange.responseBody();
            for (long sent = 0; sent < total; sent += block.length) {
                out.write(block);
                written.addAndGet(block.length);
            }
            out.close();
            done.countDown();
        }), HttpConfig.DEFAULT);
        Socket socket = connect(server);
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(1000);
        long whileNotReading = written.get();
        assertThat(whileNotReading).as("written while the client read nothing (socket buffers and the response"
                + " buffer, not the whole body)").isLessThan(24L << 20);
        assertThat(done.getCount()).isOne();
        InputStream in = socket.getInputStream();
        readHead(in);
        long received = 0;
        byte[] buffer = new byte[1 << 16];
        while (received < total) {
            int n = in.read(buffer);
            assertThat(n).isPositive();
            received += n;
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(received).isEqualTo(total);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void clientDisconnectWakesABlockedWriter(BackendUnderTest backend) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            byte[] block = new byte[1 << 16];
            try {
                while (true) {
                    exchange.responseBody().write(block);
                }
            } catch (IOException e) {
                failure.set(e);
                assertThat(exchange.isAborted()).isTrue();
            } finally {
                finished.countDown();
            }
        }), HttpConfig.DEFAULT);
        Socket socket = connect(server);
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getInputStream().readNBytes(1 << 20);
        socket.setSoLinger(true, 0);
        socket.close();
        assertThat(finished.await(10, TimeUnit.SECONDS)).as("the handler's write failed").isTrue();
        assertThat(failure.get()).isInstanceOf(IOException.class);
        awaitIdle(server);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void failureBeforeCommitIs500AndAfterIsAnAbort(BackendUnderTest backend) throws Exception {
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            if (exchange.request().path().equals("/late")) {
                exchange.contentLength(100);
                exchange.responseBody().write(new byte[10]);
                exchange.responseBody().flush();
            }
            throw new IllegalStateException("the handler failed on purpose");
        }), HttpConfig.DEFAULT);
        Socket early = connect(server);
        early.getOutputStream().write("GET /early HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = readHead(early.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 500 Internal Server Error").contains("Connection: close\r\n");
        early.getInputStream().readAllBytes(); // the body, then the close
        Socket late = connect(server);
        late.getOutputStream().write("GET /late HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(late.getInputStream())).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 100");
        assertThat(readUntilClosed(late.getInputStream())).as("a truncated body, then the connection ends").hasSize(10);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void headerChangesAfterCommitAreRefusedOnTheHandlerThread(BackendUnderTest backend) throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            exchange.responseBody().write('x');
            exchange.responseBody().flush();
            try {
                exchange.header("X-Late", "1");
            } catch (IllegalStateException e) {
                refused.set(e);
            }
        }), HttpConfig.DEFAULT);
        Socket socket = connect(server);
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        assertThat(head).contains("Transfer-Encoding: chunked").doesNotContain("X-Late");
        assertThat(new String(socket.getInputStream().readNBytes(11), StandardCharsets.US_ASCII))
                .isEqualTo("1\r\nx\r\n0\r\n\r\n");
        assertThat(refused.get()).hasMessageContaining("already been sent");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void pipelinedRequestsAreAnsweredInOrder(BackendUnderTest backend) throws Exception {
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            String path = exchange.request().path();
            Thread.sleep(path.endsWith("0") ? 50 : 0); // the first answers last if order were not kept
            exchange.responseBody().write(path.getBytes(StandardCharsets.US_ASCII));
        }), HttpConfig.DEFAULT);
        Socket socket = connect(server);
        StringBuilder requests = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            requests.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            expected.append("/r").append(i);
        }
        socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
        StringBuilder bodies = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String head = readHead(socket.getInputStream());
            int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            bodies.append(new String(socket.getInputStream().readNBytes(length), StandardCharsets.US_ASCII));
        }
        assertThat(bodies.toString()).isEqualTo(expected.toString());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void refusedByTheExecutorIs503(BackendUnderTest backend) throws Exception {
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
        }, task -> {
            throw new RejectedExecutionException("no threads left");
        }), HttpConfig.DEFAULT);
        Socket socket = connect(server);
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 503 Service Unavailable")
                .contains("Connection: close");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void requestHeadAndAddressOutliveTheLoopCallback(BackendUnderTest backend) throws Exception {
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            Thread.sleep(20); // the loop has long returned from handle()
            String text = exchange.request().header("X-Token") + " " + exchange.remoteAddress().getAddress()
                    .getHostAddress();
            exchange.responseBody().write(text.getBytes(StandardCharsets.US_ASCII));
        }), HttpConfig.DEFAULT);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(server, "/"))
                    .header("X-Token", "t-42").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("t-42 127.0.0.1");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void bodyTimeoutFailsTheBlockedReader(BackendUnderTest backend) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        RingServer server = start(backend, BlockingHttpHandler.adapt(exchange -> {
            try {
                exchange.requestBody().readAllBytes();
            } catch (IOException e) {
                failure.set(e);
                throw e;
            } finally {
                finished.countDown();
            }
        }), HttpConfig.builder().bodyTimeout(Duration.ofMillis(500)).build());
        Socket socket = connect(server);
        socket.getOutputStream().write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).hasMessageContaining("408");
        assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 408 Request Timeout")
                .contains("Connection: close");
    }

    // ---- helpers

    private RingServer start(BackendUnderTest backend, dev.ringserver.server.HttpHandler handler, HttpConfig config)
            throws IOException {
        backend.assumeAvailable();
        if (leaks == null) {
            leaks = Leaks.snapshot();
        }
        RingServer server = RingServer.builder().address(InetAddress.getLoopbackAddress()).port(0)
                .backend(backend.backend()).ioConfig(backend.ioConfig()).loops(1).http(handler, config).build();
        servers.add(server);
        server.start();
        return server;
    }

    private Socket connect(RingServer server) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(20_000);
        sockets.add(socket);
        return socket;
    }

    private static URI uri(RingServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Reads through the blank line that ends a response head. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside a response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("end of stream inside a line: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static byte[] readUntilClosed(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            // an abort may arrive as a reset: what was read before it counts
        }
        return all.toByteArray();
    }

    private static void awaitIdle(RingServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long active = 0;
            for (EventLoop loop : server.loops()) {
                active += loop.counters().get(LoopCounter.ACTIVE) + loop.httpCounters().get(HttpCounter.REQUESTS_ACTIVE);
            }
            if (active == 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("connections or requests still active after 10 s");
    }
}

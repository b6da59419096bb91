package dev.ringserver.conformance;

import dev.ringserver.cli.EchoHandler;
import dev.ringserver.cli.HelloHandler;
import dev.ringserver.http.HttpConfig;
import dev.ringserver.server.BodyListener;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpResponse;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.server.ShutdownReport;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.HttpFixture;
import dev.ringserver.testing.RawHttpClient;
import dev.ringserver.testing.RawHttpClient.Ending;
import dev.ringserver.testing.RawHttpClient.Response;
import dev.ringserver.testing.TestBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.ringserver.conformance.HttpConformance.HELLO;
import static dev.ringserver.conformance.HttpConformance.error;
import static dev.ringserver.conformance.HttpConformance.get;
import static dev.ringserver.testing.HttpFixture.count;
import static dev.ringserver.testing.TestBodies.ascii;
import static dev.ringserver.testing.TestBodies.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP/1.1 engine's limits and deadlines end to end: error statuses for malformed and oversized
 * requests (each closing the connection after a lingering close), the header, idle and body timeouts,
 * the connection limit, graceful shutdown and clients that go away. The timing tests use short
 * configured timeouts and generous upper bounds.
 */
abstract class HttpLimitsConformance {

    /** Small limits, so that exceeding them is cheap. */
    static final HttpConfig SMALL = HttpConfig.builder().maxRequestLineBytes(256).maxHeaderBytes(512)
            .maxHeaderCount(5).maxBodyBytes(1000).build();

    HttpFixture fixture;

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

    // ---- 7. limits and malformed requests

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("bare LF", "GET / HTTP/1.1\nHost: test\n\n", 400),
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost : test\r\n\r\n", 400),
                Arguments.of("missing Host on 1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: test\r\nX: a\r\n b\r\n\r\n", 400),
                Arguments.of("Content-Length and Transfer-Encoding",
                        "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                Arguments.of("two Content-Lengths",
                        "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
                Arguments.of("Content-Length above maxBodyBytes (head only)",
                        "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 1001\r\n\r\n", 413),
                Arguments.of("request line above maxRequestLineBytes",
                        "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: test\r\n\r\n", 414),
                Arguments.of("header section above maxHeaderBytes",
                        "GET / HTTP/1.1\r\nHost: test\r\nX-Big: " + "b".repeat(600) + "\r\n\r\n", 431),
                Arguments.of("more fields than maxHeaderCount",
                        "GET / HTTP/1.1\r\nHost: test\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 431),
                Arguments.of("unknown transfer coding",
                        "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\nHost: test\r\n\r\n", 505),
                Arguments.of("unknown expectation", "GET / HTTP/1.1\r\nHost: test\r\nExpect: foo\r\n\r\n", 417));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badRequests")
    void answersAnErrorThenCloses(String what, String request, int status) throws Exception {
        AtomicInteger handled = new AtomicInteger();
        RingServer server = fixture.start(exchange -> {
            handled.incrementAndGet();
            new EchoHandler().handle(exchange);
        }, SMALL);
        RawHttpClient client = fixture.connect(server);
        client.send(request);
        assertThat(client.read().rawWithoutDate()).isEqualTo(error(status, reason(status)));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(count(server, HttpCounter.forStatus(status))).as("counter for " + status).isEqualTo(1);
        assertThat(count(server, HttpCounter.REQUESTS)).isZero();
        assertThat(handled).hasValue(0);
    }

    @Test
    void answersErrorsAtTheDefaultLimits() throws Exception {
        RingServer server = fixture.start(new HelloHandler(), HttpConfig.DEFAULT);
        String[] requests = {
                "GET /" + "a".repeat(8192) + " HTTP/1.1\r\nHost: test\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: test\r\nX-Big: " + "b".repeat(8200) + "\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: test\r\n" + "X: y\r\n".repeat(100) + "\r\n",
                "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: " + ((100L << 20) + 1) + "\r\n\r\n"};
        int[] statuses = {414, 431, 431, 413};
        for (int i = 0; i < requests.length; i++) {
            RawHttpClient client = fixture.connect(server);
            client.send(requests[i]);
            assertThat(client.read().rawWithoutDate()).isEqualTo(error(statuses[i], reason(statuses[i])));
            assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        }
        RawHttpClient within = fixture.connect(server);
        within.send("GET /" + "a".repeat(8000) + " HTTP/1.1\r\nHost: test\r\n" + "X: y\r\n".repeat(99) + "\r\n");
        assertThat(within.read().rawWithoutDate()).isEqualTo(HELLO);
        assertThat(count(server, HttpCounter.ERRORS_414)).isEqualTo(1);
        assertThat(count(server, HttpCounter.ERRORS_431)).isEqualTo(2);
        assertThat(count(server, HttpCounter.ERRORS_413)).isEqualTo(1);
    }

    @Test
    void answers413WhenAChunkedBodyGrowsPastMaxBodyBytes() throws Exception {
        CompletableFuture<Throwable> bodyError = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> TestBodies.readAll(exchange,
                body -> exchange.response().end(ascii("got " + body.length)), bodyError::complete), SMALL);
        RawHttpClient client = fixture.connect(server);
        String chunk = "258\r\n" + "c".repeat(600) + "\r\n"; // 600 bytes: the second passes 1000
        client.send("POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(error(413, "Content Too Large"));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(bodyError.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("413");
        assertThat(count(server, HttpCounter.ERRORS_413)).isPositive(); // exactly once: HttpConformance.countsABodyErrorOnce
        assertThat(count(server, HttpCounter.REQUESTS_ACTIVE)).isZero();
    }

    // ---- 8. lingering close

    static Stream<Arguments> rejectedWhileSending() {
        return Stream.of(
                Arguments.of("POST / HTTP/1.1\r\nHost : test\r\nContent-Length: 8388608\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 8388608\r\n\r\n", 413));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("rejectedWhileSending")
    void deliversTheErrorToAClientThatKeepsSending(String head, int status) throws Exception {
        RingServer server = fixture.start(new EchoHandler(), SMALL);
        RawHttpClient client = fixture.connect(server);
        CompletableFuture<Boolean> writer = fixture.async(() -> {
            OutputStream out = client.socket().getOutputStream();
            out.write(ascii(head));
            byte[] block = pattern(64 * 1024, 8);
            for (int sent = 0; sent < (8 << 20); sent += block.length) {
                out.write(block);
            }
            return true;
        });
        assertThat(client.read().rawWithoutDate()).isEqualTo(error(status, reason(status)));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(writer.get(20, TimeUnit.SECONDS)).as("the server read and discarded the rest while lingering").isTrue();
        assertThat(count(server, HttpCounter.forStatus(status))).isEqualTo(1);
    }

    // ---- 9. header deadline

    @Test
    void answers408ToAHeadTrickledPastTheHeaderTimeout() throws Exception {
        RingServer server = fixture.start(new HelloHandler(), HttpConfig.builder().headerTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(30)).build());
        RawHttpClient client = fixture.connect(server);
        byte[] head = ascii("GET /" + "a".repeat(170) + " HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(head.length).isGreaterThanOrEqualTo(200);
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        CompletableFuture<Integer> trickle = fixture.async(() -> {
            int sent = 0;
            try {
                while (sent < head.length && !stop.get()) {
                    client.socket().getOutputStream().write(head, sent, 1);
                    sent++;
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                // the server gave up on this client
            }
            return sent;
        });
        Response response = client.read();
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        assertThat(response.rawWithoutDate()).isEqualTo(error(408, "Request Timeout"));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(elapsed).as("408 about one second after the first byte, not reset by each byte")
                .isBetween(TimeUnit.MILLISECONDS.toNanos(900), TimeUnit.MILLISECONDS.toNanos(4000));
        assertThat(trickle.get(10, TimeUnit.SECONDS)).as("bytes trickled").isLessThan(head.length / 2);
        assertThat(count(server, HttpCounter.ERRORS_408)).isEqualTo(1);
        assertThat(count(server, HttpCounter.REQUESTS)).isZero();
    }

    @Test
    void givesASilentConnectionTheIdleTimeoutNot408() throws Exception {
        RingServer server = fixture.start(new HelloHandler(), HttpConfig.builder().headerTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(2)).build());
        long start = System.nanoTime();
        RawHttpClient client = fixture.connect(server);
        assertThat(client.awaitClose()).as("closed without any byte").isEqualTo(Ending.EOF);
        assertThat(System.nanoTime() - start).as("the idle timeout (2 s) applied, not the header timeout (1 s)")
                .isBetween(TimeUnit.MILLISECONDS.toNanos(1500), TimeUnit.MILLISECONDS.toNanos(5000));
        assertThat(count(server, HttpCounter.ERRORS_408)).isZero();
    }

    // ---- 10. idle timeout

    @Test
    void closesAKeptAliveConnectionAfterTheIdleTimeout() throws Exception {
        RingServer server = fixture.start(new HelloHandler(),
                HttpConfig.builder().idleTimeout(Duration.ofSeconds(1)).build());
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO);
        long start = System.nanoTime();
        assertThat(client.awaitClose()).as("closed without any byte").isEqualTo(Ending.EOF);
        assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(800),
                TimeUnit.MILLISECONDS.toNanos(3500));
        assertThat(count(server, HttpCounter.ERRORS_408)).isZero();
    }

    @Test
    void closesEveryIdleConnectionOnTimeWhateverItsPhase() throws Exception {
        RingServer server = fixture.start(new HelloHandler(),
                HttpConfig.builder().idleTimeout(Duration.ofSeconds(1)).build());
        List<RawHttpClient> clients = new ArrayList<>();
        List<Long> idleSince = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawHttpClient client = fixture.connect(server);
            client.send(get("/" + i));
            assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO);
            clients.add(client);
            idleSince.add(System.nanoTime());
            Thread.sleep(5); // spread the deadlines over a whole tick of the timing wheel (100 ms)
        }
        for (int i = 0; i < clients.size(); i++) {
            long left = idleSince.get(i) + TimeUnit.SECONDS.toNanos(3) - System.nanoTime();
            clients.get(i).timeout(Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            try {
                assertThat(clients.get(i).awaitClose()).isEqualTo(Ending.EOF);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("connection " + i + " still open 3 s after its last response; idle timeout 1 s", e);
            }
        }
    }

    // ---- 11. body timeout

    @Test
    void answers408WhenTheBodyStallsWhileTheHandlerReads() throws Exception {
        CompletableFuture<Throwable> bodyError = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> TestBodies.readAll(exchange,
                body -> exchange.response().end(ascii("got " + body.length)), bodyError::complete),
                HttpConfig.builder().bodyTimeout(Duration.ofSeconds(1)).build());
        assertStalledBodyTimesOut(server, bodyError);
    }

    @Test
    void answers408WhenTheBodyStallsWhileAnotherThreadReads() throws Exception {
        CompletableFuture<Throwable> bodyError = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> fixture.threads().execute(() -> exchange.body().read(
                new BodyListener() {
                    @Override
                    public void onData(MemorySegment data, long offset, int length) {
                        fixture.threads().execute(() -> exchange.body().read(this)); // every read from off the loop
                    }

                    @Override
                    public void onEnd() {
                        exchange.response().end(ascii("done"));
                    }

                    @Override
                    public void onError(Throwable failure) {
                        bodyError.complete(failure);
                    }
                })), HttpConfig.builder().bodyTimeout(Duration.ofSeconds(1)).build());
        assertStalledBodyTimesOut(server, bodyError);
    }

    private void assertStalledBodyTimesOut(RingServer server, CompletableFuture<Throwable> bodyError) throws Exception {
        RawHttpClient client = fixture.connect(server);
        client.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n" + "h".repeat(50));
        long start = System.nanoTime();
        assertThat(bodyError.get(10, TimeUnit.SECONDS)).as("BodyListener.onError").isInstanceOf(IOException.class);
        assertThat(client.read().rawWithoutDate()).isEqualTo(error(408, "Request Timeout"));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(800),
                TimeUnit.MILLISECONDS.toNanos(4000));
        assertThat(count(server, HttpCounter.ERRORS_408)).isPositive(); // exactly once: HttpConformance.countsABodyErrorOnce
        assertThat(count(server, HttpCounter.REQUESTS_ACTIVE)).isZero();
    }

    // ---- 12. connection limit

    @Test
    void servesAWaitingConnectionOnlyWhenOneOfTheLimitCloses() throws Exception {
        RingServer server = fixture.start(fixture.builder().http(new HelloHandler()).maxConnectionsPerLoop(2));
        RawHttpClient first = fixture.connect(server);
        RawHttpClient second = fixture.connect(server);
        for (RawHttpClient client : List.of(first, second)) {
            client.send(get("/"));
            assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO);
        }
        RawHttpClient third = fixture.connect(server); // the kernel completes the handshake in the backlog
        third.send(get("/"));
        third.assertNothingWithin(Duration.ofMillis(500));
        second.send(get("/still")); // the two served ones are still served
        assertThat(second.read().rawWithoutDate()).isEqualTo(HELLO);
        first.close();
        assertThat(third.read().rawWithoutDate()).isEqualTo(HELLO);
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPTED)).isEqualTo(3);
        assertThat(server.connectionTotals().get(LoopCounter.REJECTED)).isZero();
    }

    // ---- 13. graceful shutdown

    @Test
    void shutsDownGracefullyLettingTheRequestInFlightFinish() throws Exception {
        CompletableFuture<HttpExchange> slow = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> {
            if (exchange.request().path().equals("/slow")) {
                slow.complete(exchange);
            } else {
                new HelloHandler().handle(exchange);
            }
        });
        RawHttpClient idle = fixture.connect(server);
        idle.send(get("/"));
        assertThat(idle.read().rawWithoutDate()).isEqualTo(HELLO);
        RawHttpClient busy = fixture.connect(server);
        busy.send(get("/slow"));
        HttpExchange exchange = slow.get(10, TimeUnit.SECONDS);

        long start = System.nanoTime();
        CompletableFuture<ShutdownReport> report = fixture.async(() -> server.shutdownGracefully(Duration.ofSeconds(5)));
        idle.timeout(Duration.ofSeconds(3));
        assertThat(idle.awaitClose()).as("the idle connection is closed at once").isEqualTo(Ending.EOF);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(report).isNotDone();

        exchange.response().end(ascii("done")); // from this thread, while the server waits for it
        assertThat(busy.read().rawWithoutDate())
                .isEqualTo("HTTP/1.1 200 OK\r\nDate: *\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndone");
        assertThat(busy.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(report.get(20, TimeUnit.SECONDS)).isEqualTo(new ShutdownReport(true, 0, 0));
        // how fast it returns and that the drain logs no accept failure: drainsWithoutAcceptErrorsAndStopsOnceIdle
    }

    @Test
    void drainsWithoutAcceptErrorsAndStopsOnceIdle() throws Exception {
        CompletableFuture<HttpExchange> slow = new CompletableFuture<>();
        RingServer server = fixture.start(slow::complete);
        RawHttpClient busy = fixture.connect(server);
        busy.send(get("/slow"));
        HttpExchange exchange = slow.get(10, TimeUnit.SECONDS);
        CompletableFuture<ShutdownReport> report = fixture.async(() -> server.shutdownGracefully(Duration.ofSeconds(10)));
        busy.assertNothingWithin(Duration.ofMillis(300)); // draining, the request still in flight
        exchange.response().end(ascii("done"));
        assertThat(busy.read().bodyText()).isEqualTo("done");
        assertThat(busy.awaitClose()).isEqualTo(Ending.EOF);
        long closed = System.nanoTime();
        assertThat(report.get(20, TimeUnit.SECONDS)).isEqualTo(new ShutdownReport(true, 0, 0));
        assertThat(System.nanoTime() - closed).as("returns once the last connection has closed")
                .isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPT_ERRORS)).as("accept errors").isZero();
    }

    @Test
    void abortsWhatIsStillRunningWhenTheGracePeriodEnds() throws Exception {
        CompletableFuture<Throwable> aborted = new CompletableFuture<>();
        CompletableFuture<Void> handled = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> {
            exchange.onAbort(aborted::complete);
            handled.complete(null);
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/never"));
        handled.get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        ShutdownReport report = server.shutdownGracefully(Duration.ofMillis(500));
        assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(15));
        assertThat(report).isEqualTo(new ShutdownReport(false, 1, 1));
        assertThat(aborted.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(client.readUntilClosed()).as("no response").isEmpty();
    }

    // ---- 14. client disconnect

    @Test
    void tellsTheHandlerWhenTheClientLeavesMidResponse() throws Exception {
        AtomicInteger aborts = new AtomicInteger();
        CompletableFuture<Throwable> aborted = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> {
            exchange.onAbort(cause -> {
                aborts.incrementAndGet();
                aborted.complete(cause);
            });
            stream(exchange.response(), pattern(16 * 1024, 14));
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/big"));
        InputStream in = client.socket().getInputStream();
        assertThat(in.readNBytes(256 * 1024)).hasSize(256 * 1024);
        client.close();
        assertThat(aborted.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        HttpFixture.waitUntil(() -> count(server, HttpCounter.REQUESTS_ACTIVE) == 0, "no request active");
        HttpFixture.waitUntil(() -> server.connectionTotals().get(LoopCounter.ACTIVE) == 0, "connection closed");
        assertThat(aborts).hasValue(1);
    }

    /** Writes {@code block} again and again, as fast as the client reads, never ending. */
    private static void stream(HttpResponse response, byte[] block) {
        response.header("Content-Type", "application/octet-stream");
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                while (response.isWritable()) {
                    response.write(block);
                }
                response.whenWritable(this);
            }
        };
        pump.run();
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> throw new IllegalArgumentException("no reason for " + status);
        };
    }
}

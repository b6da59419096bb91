package dev.ringserver.conformance;

import dev.ringserver.cli.EchoHandler;
import dev.ringserver.cli.HelloHandler;
import dev.ringserver.http.HttpConfig;
import dev.ringserver.server.BodyListener;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpHandler;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.Curl;
import dev.ringserver.testing.HttpFixture;
import dev.ringserver.testing.RawHttpClient;
import dev.ringserver.testing.RawHttpClient.Ending;
import dev.ringserver.testing.RawHttpClient.Response;
import dev.ringserver.testing.TestBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.foreign.MemorySegment;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ringserver.testing.HttpFixture.assertHttpDate;
import static dev.ringserver.testing.HttpFixture.count;
import static dev.ringserver.testing.HttpFixture.uri;
import static dev.ringserver.testing.TestBodies.ascii;
import static dev.ringserver.testing.TestBodies.pattern;
import static dev.ringserver.testing.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP/1.1 engine end to end, over real sockets on one backend: keep-alive, pipelining, HTTP/1.0,
 * connection closing, 100-continue, chunked uploads, HEAD and bodiless statuses, handler failures and
 * unread bodies. Raw sockets check exact bytes and exact connection behaviour; the JDK client and curl
 * bring ordinary traffic. Limits and timeouts are in {@link HttpLimitsConformance}.
 */
abstract class HttpConformance {

    static final String HELLO_HEAD = "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n";
    static final String HELLO = HELLO_HEAD + "\r\nHello, World!";
    static final String HELLO_CLOSE = HELLO_HEAD + "Connection: close\r\n\r\nHello, World!";

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

    // ---- 1. keep-alive

    @Test
    void answersRequestsOnOneKeptAliveConnectionInOrder() throws Exception {
        RingServer server = fixture.start(new HelloHandler());
        RawHttpClient client = fixture.connect(server);
        for (int i = 0; i < 5; i++) {
            client.send(get("/" + i));
            Response response = client.read();
            assertThat(response.rawWithoutDate()).isEqualTo(HELLO);
            assertHttpDate(response.header("Date"));
            assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(response.body().length));
        }
        client.assertNothingWithin(Duration.ofMillis(200));
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPTED)).isEqualTo(1);
        assertThat(count(server, HttpCounter.REQUESTS)).isEqualTo(5);
        assertThat(count(server, HttpCounter.REQUESTS_ACTIVE)).isZero();
    }

    @Test
    void servesTheJdkClientOnOneConnection() throws Exception {
        RingServer server = fixture.start(fixture.builder().loops(2).http(new EchoHandler()));
        var client = fixture.httpClient();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(server, "/item/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("GET /item/" + i + " HTTP/1.1\n").contains("\nHost: 127.0.0.1:");
            assertThat(response.headers().firstValue("Content-Length"))
                    .hasValue(String.valueOf(response.body().length()));
            assertHttpDate(response.headers().firstValue("Date").orElse(null));
        }
        byte[] body = pattern(100_000, 7);
        HttpResponse<byte[]> posted = client.send(HttpRequest.newBuilder(uri(server, "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo(body);
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPTED)).as("keep-alive reuses one connection")
                .isEqualTo(1);
    }

    // ---- 2. pipelining

    @ParameterizedTest
    @ValueSource(ints = {16, 100})
    void answersPipelinedRequestsInOrderByteForByte(int count) throws Exception {
        RingServer server = fixture.start(new EchoHandler());
        RawHttpClient client = fixture.connect(server);
        List<String[]> exchanges = mixedRequests(count, new Random(count));
        StringBuilder all = new StringBuilder();
        exchanges.forEach(exchange -> all.append(exchange[0]));
        CompletableFuture<RawHttpClient> written = fixture.async(() -> client.send(all.toString()));
        for (String[] exchange : exchanges) {
            Response response = client.read();
            assertThat(response.rawWithoutDate()).as("response to %s", exchange[0]).isEqualTo(exchange[1]);
            assertHttpDate(response.header("Date"));
        }
        written.get(10, TimeUnit.SECONDS);
        client.assertNothingWithin(Duration.ofMillis(100));
        assertThat(count(server, HttpCounter.REQUESTS)).isEqualTo(count);
    }

    @Test
    void answersPipelinedRequestsSentOneByteAtATime() throws Exception {
        RingServer server = fixture.start(new EchoHandler());
        RawHttpClient client = fixture.connect(server);
        List<String[]> exchanges = mixedRequests(16, new Random(1));
        StringBuilder all = new StringBuilder();
        exchanges.forEach(exchange -> all.append(exchange[0]));
        CompletableFuture<RawHttpClient> written = fixture.async(() -> client.sendInPieces(all.toString(), 1));
        for (String[] exchange : exchanges) {
            assertThat(client.read().rawWithoutDate()).as("response to %s", exchange[0]).isEqualTo(exchange[1]);
        }
        written.get(30, TimeUnit.SECONDS);
        assertThat(count(server, HttpCounter.REQUESTS)).isEqualTo(16);
    }

    // ---- 3. HTTP/1.0

    @Test
    void closesAnHttp10ConnectionWithoutKeepAlive() throws Exception {
        RingServer server = fixture.start(new HelloHandler());
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.0\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO_CLOSE);
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void keepsAnHttp10ConnectionOpenWhenAsked() throws Exception {
        RingServer server = fixture.start(new HelloHandler());
        RawHttpClient client = fixture.connect(server);
        for (int i = 0; i < 3; i++) {
            client.send("GET /" + i + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(client.read().rawWithoutDate())
                    .isEqualTo(HELLO_HEAD + "Connection: keep-alive\r\n\r\nHello, World!");
        }
        client.assertNothingWithin(Duration.ofMillis(200));
        client.send("GET /last HTTP/1.0\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO_CLOSE);
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPTED)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Connection: keep-alive\r\n"})
    void delimitsAnHttp10ResponseOfUnknownLengthByClosing(String connection) throws Exception {
        RingServer server = fixture.start(streaming());
        RawHttpClient client = fixture.connect(server);
        client.send("GET / HTTP/1.0\r\n" + connection + "\r\n");
        Response response = client.read(); // no length: read to the end of the stream
        assertThat(response.rawWithoutDate())
                .isEqualTo("HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                        + "hello world");
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void chunksAnHttp11ResponseOfUnknownLength() throws Exception {
        RingServer server = fixture.start(streaming());
        RawHttpClient client = fixture.connect(server);
        for (int i = 0; i < 2; i++) {
            client.send(get("/"));
            assertThat(client.read().rawWithoutDate()).isEqualTo("HTTP/1.1 200 OK\r\nDate: *\r\n"
                    + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n");
        }
        client.assertNothingWithin(Duration.ofMillis(100));
    }

    // ---- 4. closing

    @Test
    void closesAfterAnsweringConnectionClose() throws Exception {
        RingServer server = fixture.start(new HelloHandler());
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO);
        client.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO_CLOSE);
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void closesAfterMaxRequestsPerConnection() throws Exception {
        RingServer server = fixture.start(new HelloHandler(), HttpConfig.builder().maxRequestsPerConnection(3).build());
        RawHttpClient client = fixture.connect(server);
        for (int i = 0; i < 2; i++) {
            client.send(get("/" + i));
            assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO);
        }
        client.send(get("/2"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO_CLOSE);
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);

        RawHttpClient pipelining = fixture.connect(server);
        pipelining.send(get("/a") + get("/b") + get("/c") + get("/d"));
        assertThat(pipelining.read().rawWithoutDate()).isEqualTo(HELLO);
        assertThat(pipelining.read().rawWithoutDate()).isEqualTo(HELLO);
        assertThat(pipelining.read().rawWithoutDate()).isEqualTo(HELLO_CLOSE);
        assertThat(pipelining.awaitClose()).as("the fourth request is not answered").isEqualTo(Ending.EOF);
        assertThat(count(server, HttpCounter.REQUESTS)).isEqualTo(6);
    }

    // ---- 5. 100-continue

    @Test
    void sendsContinueOnlyWhenTheHandlerFirstReads() throws Exception {
        CompletableFuture<HttpExchange> handled = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> {
            if (!handled.complete(exchange)) {
                new HelloHandler().handle(exchange); // the next request
            }
        });
        RawHttpClient client = fixture.connect(server);
        client.send("POST /upload HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        HttpExchange exchange = handled.get(10, TimeUnit.SECONDS);
        client.assertNothingWithin(Duration.ofMillis(300));

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        exchange.body().read(new BodyListener() { // from this thread: the engine runs it on the loop
            @Override
            public void onData(MemorySegment data, long offset, int length) {
                received.writeBytes(TestBodies.copy(data, offset, length));
                exchange.body().read(this);
            }

            @Override
            public void onEnd() {
                exchange.response().end(received.toByteArray());
            }
        });
        Response interim = client.read();
        assertThat(interim.rawText()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        client.send("hello");
        assertThat(client.read().rawWithoutDate())
                .isEqualTo("HTTP/1.1 200 OK\r\nDate: *\r\nContent-Length: 5\r\n\r\nhello");
        client.send(get("/next")); // still kept alive
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO);
    }

    @Test
    void echoesAfterContinueAndKeepsTheConnection() throws Exception {
        RingServer server = fixture.start(new EchoHandler());
        RawHttpClient client = fixture.connect(server);
        for (int i = 0; i < 2; i++) {
            client.send("POST / HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
            assertThat(client.read().rawText()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            client.send("hello world");
            assertThat(client.read().rawWithoutDate()).isEqualTo(
                    "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: application/octet-stream\r\nContent-Length: 11\r\n"
                            + "\r\nhello world");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 413})
    void sendsNoContinueWhenTheHandlerAnswersWithoutReading(int status) throws Exception {
        RingServer server = fixture.start(exchange -> exchange.response().status(status).end(ascii("no thanks")));
        RawHttpClient client = fixture.connect(server);
        client.send("POST / HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n");
        Response response = client.read();
        assertThat(response.status()).as("the final response comes first, no 100").isEqualTo(status);
        assertThat(response.bodyText()).isEqualTo("no thanks");
        // The body the client held back will not come: the connection cannot be reused.
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void announcesTheCloseWhenAnsweringWithoutTheExpectedBody() throws Exception {
        RingServer server = fixture.start(exchange -> exchange.response().status(413).end(ascii("no thanks")));
        RawHttpClient client = fixture.connect(server);
        client.send("POST / HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n");
        Response response = client.read();
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void neverSendsContinueToHttp10() throws Exception {
        RingServer server = fixture.start(new EchoHandler());
        RawHttpClient client = fixture.connect(server);
        client.send("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        client.assertNothingWithin(Duration.ofMillis(300)); // the handler reads at once: still no 100
        client.send("hello");
        assertThat(client.read().rawWithoutDate()).isEqualTo("HTTP/1.1 200 OK\r\nDate: *\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void curlGetsContinueAndItsBodyBack() throws Exception {
        Curl.assumeAvailable();
        RingServer server = fixture.start(new EchoHandler());
        byte[] body = pattern(1 << 20, 100);
        Path in = Files.write(tempDir.resolve("in"), body);
        long start = System.nanoTime();
        Curl curl = Curl.run(tempDir, uri(server, "/"), "-v", "-H", "Expect: 100-continue", "--expect100-timeout", "30",
                "--data-binary", "@" + in);
        assertThat(curl.status()).isEqualTo("200");
        assertThat(curl.verbose()).contains("< HTTP/1.1 100 Continue").doesNotContain("Done waiting for 100-continue");
        assertThat(curl.body()).isEqualTo(body);
        assertThat(System.nanoTime() - start).as("curl did not wait out its expect timeout")
                .isLessThan(TimeUnit.SECONDS.toNanos(20));
    }

    // ---- 6. chunked uploads

    static final String CHUNKED_HEAD = "POST /chunks HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Type: text/plain\r\n\r\n";
    static final String CHUNKED_BODY = "5;ext=1\r\nhello\r\n6;a;b=\"q \\\" x\"\r\n world\r\n1a\r\n"
            + ", in pieces of any size.\r\n\r\n0;last\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n";
    static final String CHUNKED_DECODED = "hello world, in pieces of any size.\r\n";

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 1, 3})
    void echoesChunkedBodiesWithExtensionsAndTrailers(int pieceSize) throws Exception {
        RingServer server = fixture.start(new EchoHandler());
        RawHttpClient client = fixture.connect(server);
        for (int i = 0; i < 2; i++) {
            client.sendInPieces(CHUNKED_HEAD + CHUNKED_BODY, pieceSize);
            Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.header("Content-Type")).isEqualTo("text/plain");
            assertThat(response.bodyText()).isEqualTo(CHUNKED_DECODED);
        }
        client.send(get("/after"));
        assertThat(client.read().bodyText()).startsWith("GET /after HTTP/1.1\n");
        assertThat(count(server, HttpCounter.REQUESTS)).isEqualTo(3);
    }

    @ParameterizedTest(name = "chunked: {0}")
    @ValueSource(booleans = {false, true})
    void echoesMoreThan8MiBWhileItArrives(boolean chunked) throws Exception {
        RingServer server = fixture.start(new EchoHandler());
        RawHttpClient client = fixture.connect(server);
        byte[] body = pattern((8 << 20) + 12_345, chunked ? 81 : 80);
        CompletableFuture<Void> writer = fixture.async(() -> { // the echo comes back while the body goes out
            var out = client.socket().getOutputStream();
            out.write(ascii("POST /big HTTP/1.1\r\nHost: test\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length) + "\r\n\r\n"));
            Random sizes = new Random(6);
            for (int sent = 0; sent < body.length; ) {
                int n = Math.min(body.length - sent, chunked ? 1 + sizes.nextInt(100_000) : 64 * 1024);
                if (chunked) {
                    out.write(ascii(Integer.toHexString(n) + "\r\n"));
                }
                out.write(body, sent, n);
                if (chunked) {
                    out.write(ascii("\r\n"));
                }
                sent += n;
            }
            if (chunked) {
                out.write(ascii("0\r\n\r\n"));
            }
            return null;
        });
        Response response = client.timeout(Duration.ofSeconds(30)).read();
        writer.get(30, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header(chunked ? "Transfer-Encoding" : "Content-Length"))
                .isEqualTo(chunked ? "chunked" : String.valueOf(body.length));
        assertThat(response.body()).isEqualTo(body);
        client.send(get("/after"));
        assertThat(client.read().bodyText()).startsWith("GET /after HTTP/1.1\n");
    }

    @Test
    void receivesMoreThan8MiBFromTheJdkClientWithContentLengthAndChunked() throws Exception {
        // The JDK client reads the response only as fast as it sends the request, so the server reads the whole
        // body before answering (an echo while the body arrives could block both sides).
        RingServer server = fixture.start(TestBodies.collecting((exchange, received) ->
                TestBodies.respondWith(exchange.response(), received)));
        byte[] body = pattern((8 << 20) + 12_345, 8);
        var client = fixture.httpClient();
        HttpResponse<byte[]> sized = client.send(HttpRequest.newBuilder(uri(server, "/sized"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(sized.body()).isEqualTo(body);
        HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(uri(server, "/chunked"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(body);
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPTED)).as("one kept-alive connection").isEqualTo(1);
    }

    @Test
    void curlUploadsAChunkedBody() throws Exception {
        Curl.assumeAvailable();
        RingServer server = fixture.start(new EchoHandler());
        byte[] body = pattern((8 << 20) + 77, 9);
        Path in = Files.write(tempDir.resolve("in"), body);
        Curl curl = Curl.run(tempDir, uri(server, "/"), "-v", "-H", "Transfer-Encoding: chunked", "-H", "Expect:",
                "-H", "Content-Type: application/x-test", "--data-binary", "@" + in);
        assertThat(curl.verbose()).contains("> Transfer-Encoding: chunked");
        assertThat(curl.status()).isEqualTo("200");
        assertThat(curl.body()).isEqualTo(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-5", "0x5", "5 ", " 5", "", "5;", "5;=x", "5;a=\"x", "ffffffffffffffffff"})
    void rejectsMalformedChunkSizes(String sizeLine) throws Exception {
        RingServer server = fixture.start(new EchoHandler());
        RawHttpClient client = fixture.connect(server);
        client.send(CHUNKED_HEAD + sizeLine + "\r\nhello\r\n0\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(error(400, "Bad Request"));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(count(server, HttpCounter.ERRORS_400)).isPositive(); // exactly once: countsABodyErrorOnce
    }

    @Test
    void countsABodyErrorOnce() throws Exception {
        RingServer server = fixture.start(new EchoHandler(), HttpConfig.builder().maxBodyBytes(1000).build());
        RawHttpClient malformed = fixture.connect(server);
        malformed.send(CHUNKED_HEAD + "zz\r\nhello\r\n0\r\n\r\n");
        assertThat(malformed.read().status()).isEqualTo(400);
        RawHttpClient tooLarge = fixture.connect(server);
        tooLarge.send(CHUNKED_HEAD + "3e9\r\n"); // 1001 bytes announced
        assertThat(tooLarge.read().status()).isEqualTo(413);
        assertThat(count(server, HttpCounter.ERRORS_400)).as("400s").isEqualTo(1);
        assertThat(count(server, HttpCounter.ERRORS_413)).as("413s").isEqualTo(1);
    }

    // ---- 15. HEAD and responses without content

    @Test
    void answersHeadWithTheLengthOfGetButNoBody() throws Exception {
        RingServer server = fixture.start(new HelloHandler());
        RawHttpClient client = fixture.connect(server);
        client.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n" + get("/") + "HEAD /again HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(client.readHeadResponse().rawWithoutDate()).isEqualTo(HELLO_HEAD + "\r\n");
        assertThat(client.read().rawWithoutDate()).as("follows right after the head").isEqualTo(HELLO);
        assertThat(client.readHeadResponse().rawWithoutDate()).isEqualTo(HELLO_HEAD + "\r\n");
        client.assertNothingWithin(Duration.ofMillis(200));
    }

    @Test
    void answersHeadToAStreamingHandlerWithoutBodyOrFraming() throws Exception {
        RingServer server = fixture.start(streaming());
        RawHttpClient client = fixture.connect(server);
        client.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n" + get("/"));
        assertThat(client.readHeadResponse().rawWithoutDate()).as("no length known, none sent; and no body")
                .isEqualTo("HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: text/plain\r\n\r\n");
        assertThat(client.read().bodyText()).isEqualTo("hello world");
    }

    @Test
    void sendsNoBodyWith204And304() throws Exception {
        RingServer server = fixture.start(exchange -> {
            switch (exchange.request().path()) {
                case "/204" -> exchange.response().status(204).header("X-Kind", "empty").end(ascii("ignored"));
                case "/304" -> exchange.response().status(304).contentLength(13).end();
                default -> new HelloHandler().handle(exchange);
            }
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/204") + get("/304") + get("/"));
        assertThat(client.read().rawWithoutDate()).isEqualTo("HTTP/1.1 204 No Content\r\nDate: *\r\nX-Kind: empty\r\n\r\n");
        assertThat(client.read().rawWithoutDate())
                .isEqualTo("HTTP/1.1 304 Not Modified\r\nDate: *\r\nContent-Length: 13\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(HELLO);
        client.assertNothingWithin(Duration.ofMillis(200));
    }

    // ---- 16. response splitting

    @Test
    void refusesResponseSplittingAtTheApi() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> {
            try {
                exchange.response().header("X", "a\r\nInjected: 1");
            } catch (RuntimeException e) {
                thrown.complete(e);
                throw e;
            }
            thrown.complete(null);
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        Response response = client.read();
        assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
        assertThat(response.rawWithoutDate()).isEqualTo(error(500, "Internal Server Error"));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void refusesResponseSplittingOffTheLoop() throws Exception {
        CompletableFuture<HttpExchange> handled = new CompletableFuture<>();
        RingServer server = fixture.start(handled::complete);
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        HttpExchange exchange = handled.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> exchange.response().header("X", "a\nInjected: 1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange.response().header("X\r\nInjected", "1"))
                .isInstanceOf(IllegalArgumentException.class);
        exchange.response().header("X", "fine").end(ascii("ok"));
        assertThat(client.read().rawWithoutDate())
                .isEqualTo("HTTP/1.1 200 OK\r\nDate: *\r\nX: fine\r\nContent-Length: 2\r\n\r\nok");
    }

    // ---- 17 and 19. handler failures

    @Test
    void answers500WhenTheHandlerThrowsBeforeCommitting() throws Exception {
        RingServer server = fixture.start(exchange -> {
            exchange.response().header("X-Before", "1");
            throw new IllegalStateException("handler bug (expected by the test)");
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(error(500, "Internal Server Error"));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
    }

    @Test
    void abortsWhenTheHandlerThrowsAfterCommitting() throws Exception {
        RingServer server = fixture.start(exchange -> {
            exchange.response().write(ascii("partial"));
            throw new IllegalStateException("handler bug (expected by the test)");
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        String received = text(client.readUntilClosed());
        String complete = "HTTP/1.1 200 OK\r\nDate: *\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n0\r\n\r\n";
        assertThat(received.replaceFirst("\r\nDate: [^\r]*\r\n", "\r\nDate: *\r\n"))
                .as("a truncated response, never a complete one")
                .isNotEqualTo(complete).doesNotContain("0\r\n\r\n").doesNotContain("500");
        assertThat(complete).startsWith(received.replaceFirst("\r\nDate: [^\r]*\r\n", "\r\nDate: *\r\n"));
        HttpFixture.waitUntil(() -> server.connectionTotals().get(LoopCounter.ACTIVE) == 0, "connection closed");
        assertThat(count(server, HttpCounter.REQUESTS_ACTIVE)).isZero();
    }

    @Test
    void anIdleKeepAliveConnectionKeepsNothingTheEndedExchangeWasHanded() throws Exception {
        // A connection outlives its exchanges: what a handler hands in (abort listeners capturing its
        // pipeline, field values) must not stay reachable from an idle connection until its next
        // request, or thousands of idle keep-alive connections pin as many dead pipelines.
        List<WeakReference<Object>> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
        RingServer server = fixture.start(exchange -> {
            Object pipeline = new Object();
            String value = "value-" + System.nanoTime();
            handed.add(new WeakReference<>(pipeline));
            handed.add(new WeakReference<>(value));
            exchange.onAbort(cause -> pipeline.hashCode());
            exchange.response().header("X-Value", value).end(ascii("done"));
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        assertThat(client.read().bodyText()).isEqualTo("done");
        assertThat(handed).hasSize(2);
        for (int i = 0; i < 50 && handed.stream().anyMatch(ref -> ref.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(handed).as("collected while the connection stays open").allSatisfy(ref -> assertThat(ref.get()).isNull());
        client.send(get("/"));
        assertThat(client.read().bodyText()).as("the connection still serves").isEqualTo("done");
    }

    @Test
    void abortsAfterPartOfTheBodyWhenFailedFromAnotherThread() throws Exception {
        CompletableFuture<HttpExchange> handled = new CompletableFuture<>();
        CompletableFuture<Throwable> aborted = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> {
            exchange.onAbort(aborted::complete);
            exchange.response().write(ascii("partial"));
            handled.complete(exchange);
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        HttpExchange exchange = handled.get(10, TimeUnit.SECONDS);
        String sent = "HTTP/1.1 200 OK\r\nDate: *\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n";
        byte[] expected = new byte[sent.length() + 28]; // the Date value has 29 bytes instead of '*'
        int n = client.socket().getInputStream().readNBytes(expected, 0, expected.length);
        assertThat(text(expected).substring(0, n).replaceFirst("\r\nDate: [^\r]*\r\n", "\r\nDate: *\r\n")).isEqualTo(sent);
        exchange.fail(new IllegalStateException("failed asynchronously (expected by the test)"));
        assertThat(client.readUntilClosed()).as("nothing after the part already sent").isEmpty();
        assertThat(aborted.get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void answers500WhenFailedFromAnotherThreadBeforeCommitting() throws Exception {
        CompletableFuture<HttpExchange> handled = new CompletableFuture<>();
        RingServer server = fixture.start(exchange -> {
            exchange.response().header("X-Before", "1");
            handled.complete(exchange);
        });
        RawHttpClient client = fixture.connect(server);
        client.send(get("/"));
        HttpExchange exchange = handled.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> failed = fixture.async(() -> {
            exchange.fail(new IllegalStateException("failed asynchronously (expected by the test)"));
            return null;
        });
        failed.get(5, TimeUnit.SECONDS);
        assertThat(client.read().rawWithoutDate()).isEqualTo(error(500, "Internal Server Error"));
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(count(server, HttpCounter.REQUESTS_ACTIVE)).isZero();
    }

    // ---- 18. unread request bodies

    @Test
    void drainsASmallUnreadBodyAndKeepsTheConnection() throws Exception {
        RingServer server = fixture.start(exchange -> exchange.response().end(ascii("ok " + exchange.request().path())));
        RawHttpClient client = fixture.connect(server);
        String body = "x".repeat(3000);
        client.send("POST /sized HTTP/1.1\r\nHost: test\r\nContent-Length: 3000\r\n\r\n" + body + get("/after"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /sized"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /after"));
        client.assertNothingWithin(Duration.ofMillis(200));
        assertThat(count(server, HttpCounter.REQUESTS)).isEqualTo(2);
    }

    @Test
    void drainsAnUnreadChunkedBodyAndKeepsTheConnection() throws Exception {
        RingServer server = fixture.start(exchange -> exchange.response().end(ascii("ok " + exchange.request().path())));
        RawHttpClient client = fixture.connect(server);
        client.send(CHUNKED_HEAD + CHUNKED_BODY + get("/pipelined"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /chunks"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /pipelined"));
        client.send(CHUNKED_HEAD + "5\r\nhello\r\n0\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /chunks"));
        client.assertNothingWithin(Duration.ofMillis(100));
        client.send(get("/later")); // a separate write, after the body was drained
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /later"));
    }

    @Test
    void drainsABodyThatArrivesAfterTheResponse() throws Exception {
        RingServer server = fixture.start(exchange -> exchange.response().end(ascii("ok " + exchange.request().path())));
        RawHttpClient client = fixture.connect(server);
        client.send("POST /first HTTP/1.1\r\nHost: test\r\nContent-Length: 20000\r\n\r\n");
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /first"));
        client.sendInPieces(ascii("y".repeat(20000)), 1000);
        client.send(get("/second"));
        assertThat(client.read().rawWithoutDate()).isEqualTo(ok("ok /second"));
    }

    @Test
    void closesAfterTheResponseWhenTheUnreadBodyExceedsMaxDrainBytes() throws Exception {
        HttpConfig config = HttpConfig.builder().maxDrainBytes(1000).build();
        RingServer server = fixture.start(exchange -> exchange.response().end(ascii("ok")), config);
        RawHttpClient client = fixture.connect(server);
        client.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 4000\r\n\r\n" + "z".repeat(4000) + get("/next"));
        Response response = client.read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("ok");
        assertThat(client.awaitClose()).isEqualTo(Ending.EOF);
        assertThat(count(server, HttpCounter.REQUESTS)).as("the request after the body is not served").isEqualTo(1);
    }

    @Test
    void closesWithoutLosingTheResponseWhileALargeUnreadBodyKeepsComing() throws Exception {
        RingServer server = fixture.start(exchange -> exchange.response().end(ascii("ok")));
        RawHttpClient client = fixture.connect(server);
        int size = 16 << 20;
        client.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: " + size + "\r\n\r\n");
        CompletableFuture<Boolean> writer = fixture.async(() -> {
            byte[] block = pattern(64 * 1024, 1);
            try {
                for (int sent = 0; sent < size; sent += block.length) {
                    client.socket().getOutputStream().write(block);
                }
                return true;
            } catch (IOException e) {
                return false; // the server closed: expected at some point
            }
        });
        Response response = client.read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("ok");
        // The server closes with body bytes still arriving, so the kernel may answer them with a reset; which of
        // the client's two threads sees it first is a race. What matters is that the response arrived whole.
        assertThat(client.awaitClose()).isIn(Ending.EOF, Ending.RESET);
        writer.get(20, TimeUnit.SECONDS);
    }

    // ---- helpers

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** The engine's error response, Date replaced by {@code *}. */
    static String error(int status, String reason) {
        String text = status + " " + reason + "\n";
        return "HTTP/1.1 " + status + " " + reason + "\r\nDate: *\r\nContent-Type: text/plain\r\nContent-Length: "
                + text.length() + "\r\nConnection: close\r\n\r\n" + text;
    }

    /** Writes {@code hello } and {@code world} without a length, then ends. */
    static HttpHandler streaming() {
        return exchange -> {
            var response = exchange.response();
            response.header("Content-Type", "text/plain");
            response.write(ascii("hello "));
            response.write(ascii("world"));
            response.end();
        };
    }

    /**
     * {@code count} requests for {@link EchoHandler}, GETs and POSTs with bodies of random bytes and
     * lengths, each with the response it must get (Date replaced by {@code *}): {request, response}.
     */
    static List<String[]> mixedRequests(int count, Random random) {
        List<String[]> exchanges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (random.nextBoolean()) {
                String target = "/item/" + i + "?q=" + random.nextInt(1000);
                String request = "GET " + target + " HTTP/1.1\r\nHost: test\r\nX-Index: " + i + "\r\n\r\n";
                String text = "GET " + target + " HTTP/1.1\nHost: test\nX-Index: " + i + "\n";
                exchanges.add(new String[] {request, "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: text/plain; "
                        + "charset=ISO-8859-1\r\nContent-Length: " + text.length() + "\r\n\r\n" + text});
            } else {
                byte[] body = new byte[random.nextInt(3000)];
                random.nextBytes(body);
                String request = "POST /upload/" + i + " HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length
                        + "\r\n\r\n" + text(body);
                exchanges.add(new String[] {request, "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Type: "
                        + "application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n" + text(body)});
            }
        }
        return exchanges;
    }
}

package dev.ringserver.spring.reactive;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.Availability;
import dev.ringserver.io.Backends;
import dev.ringserver.server.RingServer;
import dev.ringserver.spring.reactive.RawClient.Head;
import dev.ringserver.spring.reactive.RawClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.web.server.Compression;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.DisconnectedClientHelper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The WebFlux adapter end to end on one backend: a core {@link RingServer} (one loop, an ephemeral
 * port) serving Spring handlers through {@link RingHttpHandlerAdapter}, a second one behind
 * {@link GzipCompressingHttpHandler}, and the JDK client or raw sockets on the other side. Each
 * backend runs it by subclassing; a backend this machine cannot run skips the class, saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class WebFluxAdapterConformance {

    private static final int FILE_SIZE = 100_000;

    private TestApp app;
    private RingServer plain;
    private RingServer gzip;
    private HttpClient http;
    private Path file;
    private byte[] fileBytes;

    /** The backend's name for {@link Backends#byName}. */
    protected abstract String backend();

    @BeforeAll
    void start() throws IOException {
        Availability availability = Backends.byName(backend()).availability();
        assumeTrue(availability.available(), () -> backend() + " is unavailable here: " + availability.reason());
        fileBytes = new byte[FILE_SIZE];
        new Random(42).nextBytes(fileBytes);
        file = Files.createTempFile("ringserver-webflux", ".bin");
        Files.write(file, fileBytes);
        app = new TestApp(file);
        plain = start(app.plain());
        gzip = start(new GzipCompressingHttpHandler(app.gzipRoutes(), compression()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private RingServer start(HttpHandler handler) throws IOException {
        RingHttpHandlerAdapter adapter = new RingHttpHandlerAdapter(handler, TestApp.SERVER_HEADER);
        RingServer server = RingServer.builder().address(InetAddress.getLoopbackAddress()).port(0).loops(1)
                .backend(backend()).http(adapter, HttpConfig.DEFAULT).build();
        adapter.setLocalAddress(server::localAddress);
        server.start();
        assertThat(server.backendName()).isEqualTo(backend());
        return server;
    }

    private static Compression compression() {
        Compression compression = new Compression();
        compression.setEnabled(true);
        compression.setMinResponseSize(DataSize.ofBytes(1024));
        compression.setAdditionalMimeTypes(new String[] {"text/event-stream"});
        compression.setExcludedUserAgents(new String[] {"BadBot/1.0", "Legacy.*"});
        return compression;
    }

    @AfterAll
    void stop() throws IOException {
        if (http != null) {
            http.close();
        }
        if (plain != null) {
            plain.stop();
        }
        if (gzip != null) {
            gzip.stop();
        }
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    // ---- plain requests

    @Test
    void servesTextAsOneBufferWithContentLengthAndTheServerHeader() throws Exception {
        HttpResponse<String> response = get(plain, "/text");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(TestApp.HELLO);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(TestApp.HELLO.length()));
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.headers().allValues("Server")).containsExactly(TestApp.SERVER_HEADER);
        assertThat(response.headers().allValues("Date")).hasSize(1);
    }

    @Test
    void servesJson() throws Exception {
        HttpResponse<String> response = get(plain, "/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"name\":\"ring\"").contains("\"count\":3");
    }

    @Test
    void putsTheServerHeaderOnEveryResponse() throws Exception {
        HttpResponse<String> missing = get(plain, "/nowhere");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().allValues("Server")).containsExactly(TestApp.SERVER_HEADER);
        try (RawClient client = connect(plain)) {
            Response head = client.exchange(request("HEAD", "/text"));
            assertThat(head.header("Server")).isEqualTo(TestApp.SERVER_HEADER);
            Response empty = client.exchange(request("GET", "/raw/empty"));
            assertThat(empty.header("Server")).isEqualTo(TestApp.SERVER_HEADER);
        }
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws Exception {
        try (RawClient client = connect(plain)) {
            Response head = client.exchange(request("HEAD", "/text"));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(TestApp.HELLO.length()));
            assertThat(head.header("Content-Type")).isEqualTo("text/plain");
            // The next response on the connection parses right after the head: no body bytes came between.
            Response get = client.exchange(request("GET", "/text"));
            assertThat(get.text()).isEqualTo(TestApp.HELLO);
        }
    }

    @Test
    void passesCookiesBothWays() throws Exception {
        try (RawClient client = connect(plain)) {
            Response response = client.exchange(request("GET", "/cookies", "Cookie: a=1; b=\"two\"", "Cookie: c=3"));
            assertThat(response.text()).isEqualTo("a=1,b=two,c=3");
            List<String> cookies = response.head().headers("Set-Cookie");
            assertThat(cookies).hasSize(2);
            assertThat(cookies.get(0)).startsWith("session=abc").contains("Path=/", "Domain=example.com",
                    "Max-Age=3600", "Expires=", "Secure", "HttpOnly", "SameSite=Lax", "Partitioned");
            assertThat(cookies.get(1)).isEqualTo("theme=dark");
        }
    }

    @Test
    void reportsTheRemoteAndLocalAddresses() throws Exception {
        try (RawClient client = connect(plain)) {
            String[] lines = client.exchange(request("GET", "/remote")).text().split("\n");
            assertThat(lines[0]).isEqualTo("127.0.0.1:" + client.socket().getLocalPort());
            assertThat(lines[1]).isEqualTo("127.0.0.1:" + plain.port());
        }
    }

    // ---- the request URI

    @Test
    void buildsTheUriFromHostAndTargetAndDecodesTheQueryOnce() throws Exception {
        try (RawClient client = connect(plain)) {
            String[] lines = client.exchange("GET /uri?x=a%2Bb&y=%25&z HTTP/1.1\r\nHost: example.com:8080\r\n\r\n")
                    .text().split("\n");
            assertThat(lines[0]).isEqualTo("http://example.com:8080/uri?x=a%2Bb&y=%25&z");
            assertThat(lines[1]).isEqualTo("/uri");
            assertThat(lines[2]).isEqualTo("{x=[a+b], y=[%], z=[null]}");
        }
    }

    @Test
    void takesTheAuthorityOfAnAbsoluteFormTarget() throws Exception {
        try (RawClient client = connect(plain)) {
            String uri = client.exchange("GET http://other.example:9090/uri?q=1 HTTP/1.1\r\nHost: ignored.example\r\n\r\n")
                    .text().split("\n")[0];
            assertThat(uri).isEqualTo("http://other.example:9090/uri?q=1");
        }
    }

    @Test
    void keepsIpv6HostsAndFallsBackToTheLocalAddressWithoutHost() throws Exception {
        try (RawClient client = connect(plain)) {
            assertThat(client.exchange("GET /uri HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").text())
                    .startsWith("http://[::1]:8080/uri\n");
        }
        try (RawClient client = connect(plain)) {
            assertThat(client.exchange("GET /uri HTTP/1.0\r\n\r\n").text())
                    .startsWith("http://127.0.0.1:" + plain.port() + "/uri\n");
        }
    }

    @Test
    void refusesAHostThatIsNotAnAuthority() throws Exception {
        try (RawClient client = connect(plain)) {
            // The core accepts the bracketed literal's characters; as an IPv6 address it is malformed.
            Response response = client.exchange("GET /uri HTTP/1.1\r\nHost: [1::2::3]:80\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Server")).isEqualTo(TestApp.SERVER_HEADER);
        }
    }

    // ---- request bodies

    @Test
    void echoesAn8MiBUploadStreamingBothWays() throws Exception {
        byte[] body = new byte[8 << 20];
        new Random(7).nextBytes(body);
        try (RawClient client = connect(plain)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendQuietly(client,
                    request("POST", "/echo", "Content-Type: application/octet-stream", "Content-Length: " + body.length),
                    body));
            Response response = client.read(false);
            sending.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.head().chunked()).as("streamed, not buffered to learn its length").isTrue();
            assertThat(response.body()).hasSize(body.length);
            assertThat(sha256(response.body())).isEqualTo(sha256(body));
        }
    }

    @Test
    void readsTheBodyOnePiecePerRequestedBuffer() throws Exception {
        byte[] body = TestApp.pattern(0, 256 * 1024);
        try (RawClient client = connect(plain)) {
            client.send(request("POST", "/raw/one-read", "Content-Length: " + body.length));
            client.send(body);
            assertThat(client.read(false).text()).isEqualTo("first=1 afterWait=1 total=" + body.length);
        }
    }

    @Test
    void readsNothingBeforeDemand() throws Exception {
        try (RawClient client = connect(plain)) {
            long start = System.nanoTime();
            client.send(request("POST", "/raw/late-read", "Content-Length: 1000", "Expect: 100-continue"));
            Head interim = client.readHead();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(interim.status()).isEqualTo(100);
            assertThat(waited).as("100 Continue comes with the first read, 300 ms after the request").isGreaterThanOrEqualTo(250);
            client.send(new byte[1000]);
            assertThat(client.read(false).text()).isEqualTo("read 1000");
        }
    }

    @Test
    void rejectsASecondSubscriptionToTheBody() throws Exception {
        try (RawClient client = connect(plain)) {
            Response response = client.exchange(request("POST", "/raw/body-twice", "Content-Length: 10") + "0123456789");
            assertThat(response.text()).startsWith("10 IllegalStateException: The request body can only be subscribed to once");
        }
    }

    @Test
    void stopsReadingWhenTheBodyIsCancelled() throws Exception {
        byte[] body = new byte[1 << 20];
        try (RawClient client = connect(plain)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendQuietly(client,
                    request("POST", "/raw/cancel-body", "Content-Length: " + body.length), body));
            Response response = client.read(false);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).matches("first piece of \\d+ bytes, then cancelled");
            int first = Integer.parseInt(response.text().split(" ")[3]);
            assertThat(first).isPositive().isLessThan(body.length);
            // The rest is drained or the connection closed (the body exceeds the drain limit): either way
            // the sender returns rather than waiting on a server that stopped reading for good.
            sending.handle((done, closed) -> null).get(30, TimeUnit.SECONDS);
        }
    }

    // ---- response bodies

    @Test
    void downloadsToASlowClientWithBoundedServerMemory() throws Exception {
        int size = 8 << 20;
        try (RawClient client = RawClient.connect(plain.port(), 16 * 1024)) {
            client.send(request("GET", "/download?size=" + size));
            Thread.sleep(1000); // the client reads nothing: the handler must stop being asked for more
            long producedWhileStalled = app.produced.get();
            // Bounded by the kernel's send buffer (tcp_wmem max 4 MiB) plus the core's 64 KiB response
            // buffer and one piece; without back-pressure the handler produces all 8 MiB at once.
            assertThat(producedWhileStalled).isPositive().isLessThan(6L << 20);
            Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            long received = 0;
            long mostAhead = 0;
            for (byte[] chunk = client.readChunk(); chunk != null; chunk = client.readChunk()) {
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] != TestApp.patternByte(received + i)) {
                        throw new AssertionError("byte " + (received + i) + " differs");
                    }
                }
                received += chunk.length;
                mostAhead = Math.max(mostAhead, app.produced.get() - received);
                if (received % (512 * 1024) < chunk.length) {
                    Thread.sleep(20); // keep reading slowly
                }
            }
            assertThat(received).isEqualTo(size);
            assertThat(mostAhead).as("bytes produced but not yet read by the client").isLessThan(6L << 20);
        }
    }

    @Test
    void sendsALargeSingleBufferInSlicesWithItsLength() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri(plain, "/raw/mono-big")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(8 << 20));
        assertThat(response.body()).isEqualTo(TestApp.pattern(0, 8 << 20));
    }

    @Test
    void streamsServerSentEventsOneByOne() throws Exception {
        try (RawClient client = connect(plain)) {
            client.send(request("GET", "/sse", "Accept: text/event-stream"));
            Head head = client.readHead();
            assertThat(head.header("Content-Type")).startsWith("text/event-stream");
            assertThat(head.chunked()).isTrue();
            List<String> events = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (events.size() < 3) {
                byte[] chunk = client.readChunk();
                assertThat(chunk).as("the stream ended after %s", events).isNotNull();
                text.append(new String(chunk, StandardCharsets.UTF_8));
                collectEvents(text, events, arrivals);
            }
            assertThat(events).containsExactly("id:0\ndata:event-0", "id:1\ndata:event-1", "id:2\ndata:event-2");
            assertThat(arrivals.get(2) - arrivals.get(0)).as("events 300 ms apart arrive apart")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(450));
            assertThat(client.readChunk()).isNull();
        }
    }

    @Test
    void writesAFileRegionWithItsLength() throws Exception {
        HttpResponse<byte[]> region = http.send(HttpRequest.newBuilder(uri(plain, "/raw/zero-copy?position=1000&count=5000"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(region.statusCode()).isEqualTo(200);
        assertThat(region.headers().firstValue("Content-Length")).hasValue("5000");
        assertThat(region.body()).isEqualTo(Arrays.copyOfRange(fileBytes, 1000, 6000));
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(uri(plain, "/raw/zero-copy?position=0&count=" + FILE_SIZE))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.body()).isEqualTo(fileBytes);
    }

    @Test
    void servesFileResourcesAndRangesThroughTheFilePath() throws Exception {
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(uri(plain, "/file")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.headers().firstValue("Content-Length")).hasValue(String.valueOf(FILE_SIZE));
        assertThat(whole.body()).isEqualTo(fileBytes);
        HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(uri(plain, "/file")).header("Range", "bytes=1000-5999")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1000-5999/" + FILE_SIZE);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(fileBytes, 1000, 6000));
    }

    @Test
    void endsAResponseTheHandlerCompletedWithoutWriting() throws Exception {
        try (RawClient client = connect(plain)) {
            Response response = client.exchange(request("GET", "/raw/empty"));
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.header("Content-Length")).isEqualTo("0");
            assertThat(client.exchange(request("GET", "/text")).text()).as("the connection goes on").isEqualTo(TestApp.HELLO);
        }
    }

    // ---- failures and disconnects

    @Test
    void answers500WhenTheHandlerFailsBeforeCommit() throws Exception {
        for (String path : List.of("/raw/fail", "/raw/throw")) {
            try (RawClient client = connect(plain)) {
                Response response = client.exchange(request("GET", path));
                assertThat(response.status()).as(path).isEqualTo(500);
                assertThat(response.header("Connection")).as(path).isEqualTo("close");
            }
        }
        HttpResponse<String> routed = get(plain, "/fail"); // WebFlux renders this one itself
        assertThat(routed.statusCode()).isEqualTo(500);
    }

    @Test
    void abortsTheConnectionWhenTheHandlerFailsAfterCommit() throws Exception {
        try (RawClient client = connect(plain)) {
            client.send(request("GET", "/abort"));
            Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.chunked()).isTrue();
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            client.readUntilClosed(rest);
            String body = rest.toString(StandardCharsets.ISO_8859_1);
            assertThat(body).contains("partial-1", "partial-2");
            assertThat(body).as("no last chunk: the client must see a truncated message").doesNotEndWith("0\r\n\r\n");
        }
    }

    @Test
    void cancelsAPendingHandlerWhenTheClientDisconnects() throws Exception {
        app.hangCancelled = new CountDownLatch(1);
        try (RawClient client = connect(plain)) {
            client.send(request("GET", "/hang"));
            Thread.sleep(200);
        }
        assertThat(app.hangCancelled.await(1, TimeUnit.SECONDS)).as("cancelled within 1 s of the close").isTrue();
    }

    @Test
    void cancelsAStreamWhenTheClientDisconnects() throws Exception {
        app.ticksCancelled = new CountDownLatch(1);
        try (RawClient client = connect(plain)) {
            client.send(request("GET", "/ticks"));
            assertThat(client.readHead().status()).isEqualTo(200);
            assertThat(new String(client.readChunk(), StandardCharsets.UTF_8)).contains("tick-0");
        }
        assertThat(app.ticksCancelled.await(1, TimeUnit.SECONDS)).as("cancelled within 1 s of the close").isTrue();
    }

    @Test
    void failsWritesAfterADisconnectWithAnExceptionSpringTakesForAGoneClient() throws Exception {
        app.detachedFailure = new CompletableFuture<>();
        try (RawClient client = connect(plain)) {
            client.send(request("GET", "/raw/detached"));
            assertThat(client.readHead().status()).isEqualTo(200);
            assertThat(client.readChunk()).isNotNull();
        }
        Throwable failure = app.detachedFailure.get(2, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(AbortedException.class);
        assertThat(DisconnectedClientHelper.isClientDisconnectedException(failure)).isTrue();
    }

    // ---- compression

    @Test
    void compressesAKnownLengthBodyAboveTheMinimumInOneBuffer() throws Exception {
        HttpResponse<byte[]> response = getGzip("/gz/text?size=4096", "Accept-Encoding", "gzip");
        assertCompressed(response, TestApp.text(4096));
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(response.body().length));
    }

    @Test
    void leavesAKnownLengthBodyBelowTheMinimum() throws Exception {
        HttpResponse<byte[]> response = getGzip("/gz/text?size=100", "Accept-Encoding", "gzip");
        assertIdentity(response, TestApp.text(100));
        assertThat(response.headers().firstValue("Content-Length")).hasValue("100");
    }

    @Test
    void decidesABodyOfUnknownLengthAfterBufferingUpToTheMinimum() throws Exception {
        HttpResponse<byte[]> small = getGzip("/gz/flux?size=500&parts=5", "Accept-Encoding", "gzip");
        assertIdentity(small, TestApp.text(100).repeat(5));
        assertThat(small.headers().firstValue("Content-Length")).hasValue("500");
        HttpResponse<byte[]> large = getGzip("/gz/flux?size=8000&parts=8", "Accept-Encoding", "gzip");
        assertCompressed(large, TestApp.text(1000).repeat(8));
    }

    @Test
    void compressesOnlyTheConfiguredMediaTypes() throws Exception {
        HttpResponse<byte[]> png = getGzip("/gz/png", "Accept-Encoding", "gzip");
        assertThat(png.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(png.body()).isEqualTo(TestApp.pattern(0, 4096));
    }

    @Test
    void leavesExcludedUserAgentsAlone() throws Exception {
        for (String agent : List.of("BadBot/1.0", "badbot/1.0", "LegacyClient 2")) {
            assertIdentity(getGzip("/gz/text?size=4096", "Accept-Encoding", "gzip", "User-Agent", agent), TestApp.text(4096));
        }
        assertCompressed(getGzip("/gz/text?size=4096", "Accept-Encoding", "gzip", "User-Agent", "GoodBot/1.0"),
                TestApp.text(4096));
    }

    @Test
    void followsAcceptEncoding() throws Exception {
        String text = TestApp.text(4096);
        assertIdentity(getGzip("/gz/text?size=4096"), text);
        assertIdentity(getGzip("/gz/text?size=4096", "Accept-Encoding", "gzip;q=0"), text);
        assertIdentity(getGzip("/gz/text?size=4096", "Accept-Encoding", "identity, deflate"), text);
        assertCompressed(getGzip("/gz/text?size=4096", "Accept-Encoding", "deflate, gzip;q=0.5"), text);
        assertCompressed(getGzip("/gz/text?size=4096", "Accept-Encoding", "*"), text);
    }

    @Test
    void leavesEncodedHeadAndBodilessResponsesAlone() throws Exception {
        HttpResponse<byte[]> encoded = getGzip("/gz/encoded", "Accept-Encoding", "gzip");
        assertThat(encoded.headers().allValues("Content-Encoding")).containsExactly("br");
        assertThat(new String(encoded.body(), StandardCharsets.UTF_8)).isEqualTo(TestApp.text(4096));
        HttpResponse<byte[]> noContent = getGzip("/gz/nocontent", "Accept-Encoding", "gzip");
        assertThat(noContent.statusCode()).isEqualTo(204);
        assertThat(noContent.headers().firstValue("Content-Encoding")).isEmpty();
        try (RawClient client = connect(gzip)) {
            Response head = client.exchange(request("HEAD", "/gz/text?size=4096", "Accept-Encoding: gzip"));
            assertThat(head.header("Content-Encoding")).isNull();
            assertThat(head.header("Content-Length")).isEqualTo("4096");
        }
    }

    @Test
    void weakensAStrongEtagOfACompressedBody() throws Exception {
        HttpResponse<byte[]> response = getGzip("/gz/etag", "Accept-Encoding", "gzip");
        assertCompressed(response, TestApp.text(4096));
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"v1\"");
    }

    @Test
    void streamsCompressedServerSentEventsOneByOne() throws Exception {
        try (RawClient client = connect(gzip)) {
            client.send(request("GET", "/gz/sse", "Accept-Encoding: gzip"));
            Head head = client.readHead();
            assertThat(head.header("Content-Encoding")).isEqualTo("gzip");
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            Inflater inflater = new Inflater(true);
            List<String> events = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int fed = 10; // the gzip header
            for (byte[] chunk = client.readChunk(); chunk != null; chunk = client.readChunk()) {
                compressed.writeBytes(chunk);
                byte[] all = compressed.toByteArray();
                if (all.length > fed) {
                    inflater.setInput(all, fed, all.length - fed);
                    fed = all.length;
                    byte[] out = new byte[4096];
                    for (int n = inflater.inflate(out); n > 0; n = inflater.inflate(out)) {
                        text.append(new String(out, 0, n, StandardCharsets.UTF_8));
                    }
                    collectEvents(text, events, arrivals);
                }
            }
            inflater.end();
            assertThat(events).containsExactly("data:event-0", "data:event-1", "data:event-2");
            assertThat(arrivals.get(2) - arrivals.get(0)).as("each event decodable when it arrives")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(450));
            byte[] whole = new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray())).readAllBytes();
            assertThat(new String(whole, StandardCharsets.UTF_8)).isEqualTo(
                    "data:event-0\n\ndata:event-1\n\ndata:event-2\n\n");
        }
    }

    // ---- helpers

    private static void collectEvents(StringBuilder text, List<String> events, List<Long> arrivals) {
        for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
            events.add(text.substring(0, end));
            arrivals.add(System.nanoTime());
            text.delete(0, end + 2);
        }
    }

    private void assertCompressed(HttpResponse<byte[]> response, String expected) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.headers().allValues("Vary")).contains("Accept-Encoding");
        assertThat(response.body().length).isLessThan(expected.length());
        byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes();
        assertThat(new String(inflated, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    private static void assertIdentity(HttpResponse<byte[]> response, String expected) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    private HttpResponse<byte[]> getGzip(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(gzip, path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> get(RingServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(RingServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static RawClient connect(RingServer server) throws IOException {
        return RawClient.connect(server.port());
    }

    private String request(String method, String target, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(plain.port()).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    private static void sendQuietly(RawClient client, String head, byte[] body) {
        try {
            client.send(head);
            for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                client.send(Arrays.copyOfRange(body, offset, Math.min(body.length, offset + 64 * 1024)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

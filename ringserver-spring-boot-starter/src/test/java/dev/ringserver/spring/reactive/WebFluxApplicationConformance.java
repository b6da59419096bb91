package dev.ringserver.spring.reactive;

import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application served by ringserver through Spring Boot, as a user runs it: auto-configured,
 * on a random port, exercised over real sockets with {@link WebTestClient} (the JDK client underneath)
 * and a raw socket where exact timing or bytes matter. Subclasses pick the backend with
 * {@code ringserver.backend}; a backend that cannot run here is skipped with the probe's reason
 * ({@link RequiresBackend}). Lifecycle cases (graceful shutdown, restart, metrics) are in
 * {@link WebFluxLifecycleConformance}.
 */
@SpringBootTest(classes = ConformanceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.compression.enabled=true",
                "server.compression.min-response-size=1KB",
                "management.endpoints.web.exposure.include=health,metrics,ringserver",
                "ringserver.event-loops=2"})
abstract class WebFluxApplicationConformance {

    private static final int UPLOAD_BYTES = 32 << 20;
    private static final long DOWNLOAD_BYTES = 64L << 20;

    /** A static resource location on the file system (classpath resources in a jar cannot be sent by sendfile). */
    private static final Path STATIC_DIRECTORY;
    private static final byte[] STATIC_CONTENT = new byte[2 << 20];

    static {
        for (int i = 0; i < STATIC_CONTENT.length; i++) {
            STATIC_CONTENT[i] = (byte) (i * 13 + 5);
        }
        try {
            STATIC_DIRECTORY = Files.createTempDirectory("ringserver-static");
            Path file = Files.write(STATIC_DIRECTORY.resolve("static.bin"), STATIC_CONTENT);
            file.toFile().deleteOnExit();
            STATIC_DIRECTORY.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void staticLocations(DynamicPropertyRegistry registry) {
        registry.add("spring.web.resources.static-locations", () -> STATIC_DIRECTORY.toUri().toString());
    }

    @Autowired
    WebServerApplicationContext context;

    @Autowired
    ConformanceApplication.Probe probe;

    WebTestClient client;
    int port;

    protected abstract String backend();

    @BeforeEach
    void client() {
        port = context.getWebServer().getPort();
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 << 20)).build();
    }

    @Test
    void runsOnTheConfiguredBackend() {
        RingWebServer server = (RingWebServer) context.getWebServer();
        assertThat(server.getRingServer().backendName()).isEqualTo(backend());
        assertThat(server.getRingServer().loops()).hasSize(2);
    }

    @Test
    void servesAndAcceptsJson() {
        client.get().uri("/json").exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.message").isEqualTo("hello").jsonPath("$.number").isEqualTo(1);
        client.post().uri("/json").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("message", "shout", "number", 41))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.message").isEqualTo("SHOUT").jsonPath("$.number").isEqualTo(42);
    }

    @Test
    void answersMalformedJsonWith400() {
        client.post().uri("/json").contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void streamsServerSentEventsAsTheyHappen() {
        List<Long> arrivals = new ArrayList<>();
        List<String> data = new ArrayList<>();
        long start = System.nanoTime();
        client.get().uri("/sse?count=4").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new org.springframework.core.ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .getResponseBody()
                .doOnNext(event -> {
                    arrivals.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    data.add(event.data());
                })
                .blockLast(Duration.ofSeconds(10));
        assertThat(data).containsExactly("tick 0", "tick 1", "tick 2", "tick 3");
        // One every 200 ms, 600 ms from the first to the last: sent as they happen, not at the end
        // (which would bring them all at once). Generous bounds for a busy machine.
        assertThat(arrivals.getLast() - arrivals.getFirst()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void hashesALargeUploadAsItStreams() throws Exception {
        byte[] piece = new byte[256 * 1024];
        MessageDigest expected = ConformanceApplication.sha256();
        for (int i = 0; i < piece.length; i++) {
            piece[i] = (byte) (i * 31);
        }
        int pieces = UPLOAD_BYTES / piece.length;
        for (int i = 0; i < pieces; i++) {
            expected.update(piece);
        }
        Flux<DataBuffer> body = Flux.range(0, pieces).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(piece));
        client.post().uri("/upload").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(body, DataBuffer.class)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.size").isEqualTo(UPLOAD_BYTES)
                .jsonPath("$.sha256").isEqualTo(HexFormat.of().formatHex(expected.digest()));
    }

    @Test
    void downloadsToASlowReaderWithoutRunningAhead() throws Exception {
        try (RawClient raw = RawClient.connect(port, 64 * 1024)) {
            raw.send("GET /download?size=" + DOWNLOAD_BYTES + " HTTP/1.1\r\nHost: test\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertThat(head.contentLength()).isEqualTo(DOWNLOAD_BYTES);
            InputStream in = raw.input();
            byte[] first = in.readNBytes(1 << 20);
            Thread.sleep(500); // the client stops reading: the server must stop producing
            long produced = probe.downloadBytesProduced.get();
            assertThat(produced).as("bytes produced while the client had read 1 MiB")
                    .isLessThan(24L << 20);
            long total = first.length;
            byte[] buffer = new byte[1 << 16];
            long mismatches = 0;
            for (int i = 0; i < first.length; i++) {
                mismatches += first[i] == (byte) (i % 251) ? 0 : 1;
            }
            while (total < DOWNLOAD_BYTES) { // the connection stays open: read exactly the body
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, DOWNLOAD_BYTES - total));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    mismatches += buffer[i] == (byte) ((total + i) % 251) ? 0 : 1;
                }
                total += n;
            }
            assertThat(total).isEqualTo(DOWNLOAD_BYTES);
            assertThat(mismatches).isZero();
        }
    }

    @Test
    void sendsAFileResourceWithSendfile(@TempDir Path directory) throws Exception {
        byte[] content = new byte[3 << 20];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + 3);
        }
        probe.file = Files.write(directory.resolve("data.bin"), content);
        double before = sendfileBytes();
        byte[] body = client.get().uri("/file").exchange().expectStatus().isOk()
                .expectHeader().contentLength(content.length)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(content);
        // Spring took the ZeroCopyHttpOutputMessage path, and the core sent the file with sendfile.
        assertThat(sendfileBytes() - before).isGreaterThanOrEqualTo(content.length);
        // A range of it goes the same way.
        byte[] range = client.get().uri("/file").header("Range", "bytes=1000-1999").exchange()
                .expectStatus().isEqualTo(206).expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(range).isEqualTo(Arrays.copyOfRange(content, 1000, 2000));
    }

    @Test
    void servesStaticResourcesFromAFileLocationWithSendfile() {
        double before = sendfileBytes();
        byte[] body = client.get().uri("/static.bin").exchange().expectStatus().isOk()
                .expectHeader().contentLength(STATIC_CONTENT.length)
                .expectHeader().exists("Last-Modified")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(STATIC_CONTENT);
        // spring.web.resources.* went through ZeroCopyHttpOutputMessage to the core's sendfile.
        assertThat(sendfileBytes() - before).isGreaterThanOrEqualTo(STATIC_CONTENT.length);
    }

    private double sendfileBytes() {
        Double[] value = new Double[1];
        client.get().uri("/actuator/metrics/ringserver.sendfile.bytes").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.measurements[0].value").value(Double.class, v -> value[0] = v);
        return value[0];
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws Exception {
        try (RawClient raw = RawClient.connect(port)) {
            // An annotated controller: Spring answers HEAD for its GET mapping through the server's
            // HEAD handling (HttpHeadResponseDecorator), with the GET's headers.
            RawClient.Response head = raw.exchange("HEAD /greeting HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).startsWith("application/json");
            assertThat(head.body()).isEmpty();
            // The connection is still in step: the next response is the GET's, whole.
            RawClient.Response get = raw.exchange("GET /greeting HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(get.text()).contains("\"message\":\"hi\"");
            assertThat(head.header("Content-Length")).isIn(null, String.valueOf(get.body().length));
        }
    }

    @Test
    void passesCookiesBothWays() {
        client.get().uri("/cookies").cookie("session", "abc123").exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo("got abc123");
        client.get().uri("/cookies").exchange()
                .expectCookie().valueEquals("flavour", "oat")
                .expectCookie().httpOnly("flavour", true)
                .expectCookie().path("flavour", "/")
                .expectCookie().maxAge("flavour", Duration.ofSeconds(60));
    }

    @Test
    void compressesWhenTheClientAcceptsGzip() throws Exception {
        try (RawClient raw = RawClient.connect(port)) {
            RawClient.Response plain = raw.exchange("GET /text HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(plain.header("Content-Encoding")).isNull();
            RawClient.Response gzipped = raw.exchange(
                    "GET /text HTTP/1.1\r\nHost: test\r\nAccept-Encoding: gzip\r\n\r\n");
            assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(gzipped.header("Vary")).containsIgnoringCase("Accept-Encoding");
            assertThat(gzipped.body().length).isLessThan(plain.body().length / 4);
            try (GZIPInputStream unzip = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
                assertThat(unzip.readAllBytes()).isEqualTo(plain.body());
            }
        }
    }

    @Test
    void cancelsTheHandlerWhenTheClientDisconnects() throws Exception {
        probe.cancelled = new CountDownLatch(1);
        try (RawClient raw = RawClient.connect(port)) {
            raw.send("GET /hang HTTP/1.1\r\nHost: test\r\n\r\n");
            Thread.sleep(200); // let the handler subscribe
        }
        assertThat(probe.cancelled.await(5, TimeUnit.SECONDS)).as("the handler's Mono was cancelled").isTrue();
    }

    @Test
    void exposesTheMetricsWithTheBackendTag() {
        client.get().uri("/json").exchange().expectStatus().isOk();
        client.get().uri("/actuator/metrics/ringserver.requests").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.measurements[0].value").value(Double.class, count -> assertThat(count).isPositive())
                .jsonPath("$.availableTags[?(@.tag == 'backend')].values[0]").isEqualTo(backend());
        client.get().uri("/actuator/metrics/ringserver.bytes.sent").exchange().expectStatus().isOk();
        client.get().uri("/actuator/ringserver").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.backend").isEqualTo(backend());
    }

    @Test
    void answersAMalformedRequestWith400AndCountsIt() throws Exception {
        try (RawClient raw = RawClient.connect(port)) {
            raw.send("GET /json HTTP/1.1\r\nHost: test\r\nBad Header: x\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertThat(head.status()).isEqualTo(400);
            assertThat(head.header("Connection")).isEqualTo("close");
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            raw.readUntilClosed(rest);
        }
        client.get().uri("/actuator/metrics/ringserver.http.errors?tag=status:400").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.measurements[0].value")
                .value(Double.class, count -> assertThat(count).isGreaterThanOrEqualTo(1));
    }
}

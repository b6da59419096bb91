package dev.ringserver.spring.reactive;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringserver.static.locations}: a directory served by ringserver itself, before Spring. The
 * application has no route under {@code /assets/}, so a 200 there can only come from the server;
 * everything else still reaches the application.
 */
@SpringBootTest(classes = ConformanceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ringserver.static.cache-control=max-age=60",
                "management.endpoints.web.exposure.include=metrics"})
class StaticLocationsIT {

    private static final Path DIRECTORY;
    private static final byte[] CONTENT = new byte[200_000];
    private static final byte[] SMALL = "console.log('small');".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static {
        Arrays.fill(CONTENT, (byte) 'x');
        try {
            DIRECTORY = Files.createTempDirectory("ringserver-assets");
            Files.write(DIRECTORY.resolve("app.js"), CONTENT).toFile().deleteOnExit();
            Files.write(DIRECTORY.resolve("small.js"), SMALL).toFile().deleteOnExit();
            DIRECTORY.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both keys of the list element from one source: Boot binds an indexed list from a single source. */
    @DynamicPropertySource
    static void location(DynamicPropertyRegistry registry) {
        registry.add("ringserver.static.locations[0].path", () -> "/assets/");
        registry.add("ringserver.static.locations[0].directory", DIRECTORY::toString);
    }

    @Autowired
    WebServerApplicationContext context;

    WebTestClient client;

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + context.getWebServer().getPort())
                .responseTimeout(Duration.ofSeconds(10))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(1 << 20)).build();
    }

    @Test
    void servesTheDirectoryUnderThePrefixItself() {
        byte[] body = client.get().uri("/assets/app.js").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "max-age=60")
                .expectHeader().contentLength(CONTENT.length)
                .expectHeader().exists("ETag")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(CONTENT);
    }

    @Test
    void answersRangesAndConditionalRequests() {
        byte[] part = client.get().uri("/assets/app.js").header("Range", "bytes=10-19").exchange()
                .expectStatus().isEqualTo(206).expectHeader().valueEquals("Content-Range", "bytes 10-19/200000")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(part).hasSize(10);
        String etag = client.get().uri("/assets/app.js").exchange().returnResult(byte[].class)
                .getResponseHeaders().getETag();
        client.get().uri("/assets/app.js").header("If-None-Match", etag).exchange().expectStatus().isNotModified();
    }

    @Test
    void answers404ForAMissingFileUnderThePrefix() {
        client.get().uri("/assets/missing.js").exchange().expectStatus().isNotFound();
        client.get().uri("/assets/../../etc/passwd").exchange().expectStatus().value(status ->
                assertThat(status).isIn(400, 404));
    }

    @Test
    void leavesEverythingElseToTheApplication() {
        client.get().uri("/json").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.message").isEqualTo("hello");
        // Other methods under the prefix go on to Spring, which has no such route.
        client.post().uri("/assets/app.js").exchange().expectStatus().value(status -> assertThat(status).isIn(404, 405));
    }

    @Test
    void metersBytesSentByTransferPerLocation() {
        double sendfile = staticMeter("ringserver.static.bytes", "location:/assets/", "transfer:sendfile");
        double copied = staticMeter("ringserver.static.bytes", "location:/assets/", "transfer:copied");
        double requests = staticMeter("ringserver.static.requests", "location:/assets/");
        double notFound = staticMeter("ringserver.static.responses", "location:/assets/", "status:404");

        client.get().uri("/assets/app.js").exchange().expectStatus().isOk().expectBody(byte[].class)
                .value(body -> assertThat(body).hasSize(CONTENT.length));
        client.get().uri("/assets/small.js").exchange().expectStatus().isOk().expectBody(byte[].class)
                .value(body -> assertThat(body).isEqualTo(SMALL));
        client.get().uri("/assets/none.js").exchange().expectStatus().isNotFound();

        // Other tests may run in between, so each figure grows by at least what these requests sent.
        assertThat(staticMeter("ringserver.static.bytes", "location:/assets/", "transfer:sendfile") - sendfile)
                .isGreaterThanOrEqualTo(CONTENT.length);
        assertThat(staticMeter("ringserver.static.bytes", "location:/assets/", "transfer:copied") - copied)
                .isGreaterThanOrEqualTo(SMALL.length);
        assertThat(staticMeter("ringserver.static.requests", "location:/assets/") - requests).isGreaterThanOrEqualTo(3);
        assertThat(staticMeter("ringserver.static.responses", "location:/assets/", "status:404") - notFound)
                .isGreaterThanOrEqualTo(1);
        client.get().uri(uri -> uri.path("/actuator/metrics/ringserver.static.cache.lookups")
                        .queryParam("tag", "cache:memory").queryParam("tag", "result:miss").build())
                .exchange().expectStatus().isOk();
    }

    private double staticMeter(String name, String... tags) {
        Double[] value = new Double[1];
        client.get().uri(uri -> {
                    uri.path("/actuator/metrics/" + name);
                    for (String tag : tags) {
                        uri.queryParam("tag", tag);
                    }
                    return uri.build();
                }).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.measurements[0].value").value(Double.class, v -> value[0] = v);
        return value[0];
    }
}

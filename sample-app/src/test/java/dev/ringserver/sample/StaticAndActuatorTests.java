package dev.ringserver.sample;

import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The static files, and the actuator endpoints the sample exposes. */
@SampleAppTest
class StaticAndActuatorTests {

    @Autowired
    private WebTestClient client;

    @Autowired
    private WebServerApplicationContext context;

    @Test
    void theWebServerIsRingServer() {
        assertThat(context.getWebServer()).isInstanceOf(RingWebServer.class);
    }

    @Test
    void theIndexPageIsServedAtTheRoot() {
        client.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("<title>ringserver sample</title>")
                        .contains("href=\"/style.css\"")
                        .contains("/actuator/ringserver"));
        client.get().uri("/index.html").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
    }

    @Test
    void theStylesheet() {
        client.get().uri("/style.css").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/css")
                .expectBody(String.class).value(css -> assertThat(css).contains("font-family"));
    }

    @Test
    void anUnknownFileIs404() {
        client.get().uri("/nothing-here.txt").exchange().expectStatus().isNotFound();
    }

    @Test
    void health() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void info() {
        client.get().uri("/actuator/info").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.app.name").isEqualTo("ringserver-sample")
                .jsonPath("$.build.artifact").isEqualTo("sample-app");
    }

    @Test
    void theRingserverEndpointShowsTheBackendInUse() {
        String backend = ((RingWebServer) context.getWebServer()).getRingServer().backendName();
        client.get().uri("/actuator/ringserver").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.state").isEqualTo("running")
                .jsonPath("$.backend").isEqualTo(backend)
                .jsonPath("$.configuredBackend").isEqualTo("auto")
                .jsonPath("$.selection").value(String.class, selection -> assertThat(selection).isNotBlank())
                .jsonPath("$.port").isEqualTo(context.getWebServer().getPort())
                .jsonPath("$.loops").isNotEmpty()
                .jsonPath("$.limits.http.maxBodyBytes").isEqualTo(100L * 1024 * 1024)
                .jsonPath("$.limits.http.idleTimeout").isEqualTo("PT1M");
        assertThat(backend).isIn("io_uring", "epoll", "nio");
    }

    @Test
    void theRequestsMetricExists() {
        client.get().uri("/api/notes").exchange().expectStatus().isOk();
        client.get().uri("/actuator/metrics/ringserver.requests").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("ringserver.requests")
                .jsonPath("$.measurements[0].value").value(Double.class, count -> assertThat(count).isGreaterThanOrEqualTo(1))
                .jsonPath("$.availableTags[?(@.tag == 'backend')]").exists();
        client.get().uri("/actuator/metrics").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.names[?(@ == 'ringserver.connections.active')]").exists();
    }
}

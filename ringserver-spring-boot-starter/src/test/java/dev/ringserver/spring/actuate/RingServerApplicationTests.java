package dev.ringserver.spring.actuate;

import dev.ringserver.io.Backends;
import dev.ringserver.spring.autoconfigure.WebFluxTestApplication;
import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application on ringserver over real sockets: the application's route, ringserver's meters
 * next to Spring's request observations, and the actuator endpoint.
 */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health,metrics,ringserver")
class RingServerApplicationTests {

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private WebServerApplicationContext context;

    private WebTestClient client;

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void theApplicationRunsOnRingServer() {
        assertThat(context.getWebServer()).isInstanceOf(RingWebServer.class);
        client.get().uri("/hello").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("Hello");
    }

    @Test
    void requestMetricsCarryTheBackendTag() {
        client.get().uri("/hello").exchange().expectStatus().isOk();
        String backend = ((RingWebServer) context.getWebServer()).getRingServer().backendName();

        client.get().uri("/actuator/metrics/ringserver.requests").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.name").isEqualTo("ringserver.requests")
                .jsonPath("$.measurements[0].statistic").isEqualTo("COUNT")
                .jsonPath("$.measurements[0].value")
                .value(Double.class, count -> assertThat(count).isGreaterThanOrEqualTo(1))
                .jsonPath("$.availableTags[?(@.tag == 'backend')].values[0]").isEqualTo(backend);
        client.get().uri("/actuator/metrics/ringserver.connections.active").exchange().expectStatus().isOk();
        client.get().uri("/actuator/metrics/ringserver.http.errors?tag=status:400").exchange().expectStatus().isOk();
    }

    @Test
    void springsRequestObservationsStillWork() {
        client.get().uri("/hello").exchange().expectStatus().isOk();
        client.get().uri("/actuator/metrics/http.server.requests?tag=uri:/hello").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.measurements[?(@.statistic == 'COUNT')].value").value(List.class, counts ->
                        assertThat(((Number) counts.getFirst()).doubleValue()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void theEndpointReportsTheBackendLoopsAndLimits() {
        RingWebServer webServer = (RingWebServer) context.getWebServer();
        client.get().uri("/actuator/ringserver").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("running")
                .jsonPath("$.backend").isEqualTo(webServer.getRingServer().backendName())
                .jsonPath("$.configuredBackend").isEqualTo("auto")
                .jsonPath("$.selection").value(selection -> assertThat(selection.toString()).startsWith("auto chose"))
                .jsonPath("$.port").isEqualTo(port)
                .jsonPath("$.kernelRelease").isEqualTo(System.getProperty("os.version"))
                .jsonPath("$.backends.length()").isEqualTo(4)
                .jsonPath("$.backends[?(@.name == 'kqueue')].available")
                .isEqualTo(Backends.byName("kqueue").availability().available())
                .jsonPath("$.loops.length()").isEqualTo(webServer.getRingServer().loops().size())
                .jsonPath("$.loops[0].activeConnections").exists()
                .jsonPath("$.limits.http.maxHeaderBytes").isEqualTo(8192)
                .jsonPath("$.limits.http.headerTimeout").isEqualTo("PT20S")
                .jsonPath("$.limits.io.submissionQueueEntries").isEqualTo(256);
    }
}

package dev.ringserver.spring.actuate;

import dev.ringserver.spring.autoconfigure.WebFluxTestApplication;
import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code management.server.port} set apart: the actuator gets a second ringserver of its own. */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "management.endpoints.web.exposure.include=health,ringserver",
                "ringserver.event-loops=3"})
@Import(ManagementPortTests.Servers.class)
class ManagementPortTests {

    @Value("${local.server.port}")
    private int port;

    @Value("${local.management.port}")
    private int managementPort;

    @Autowired
    private Servers servers;

    @Test
    void theActuatorAnswersOnItsOwnRingServer() {
        assertThat(managementPort).isPositive().isNotEqualTo(port);
        assertThat(servers.started).hasSize(2).allSatisfy(event ->
                assertThat(event.getWebServer()).isInstanceOf(RingWebServer.class));
        assertThat(servers.started).extracting(event -> event.getApplicationContext().getServerNamespace())
                .containsExactlyInAnyOrder(null, "management");
        // The management server runs on one event loop, whatever ringserver.event-loops says.
        assertThat(servers.started).filteredOn(event -> "management".equals(
                event.getApplicationContext().getServerNamespace())).singleElement().satisfies(event ->
                        assertThat(((RingWebServer) event.getWebServer()).getRingServer().loops()).hasSize(1));
        assertThat(servers.started).filteredOn(event -> event.getApplicationContext().getServerNamespace() == null)
                .singleElement().satisfies(event ->
                        assertThat(((RingWebServer) event.getWebServer()).getRingServer().loops()).hasSize(3));

        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
        management.get().uri("/actuator/health").exchange().expectStatus().isOk();
        management.get().uri("/actuator/ringserver").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.port").isEqualTo(port);

        WebTestClient application = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        application.get().uri("/hello").exchange().expectStatus().isOk();
        application.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Servers implements ApplicationListener<WebServerInitializedEvent> {

        final List<WebServerInitializedEvent> started = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            started.add(event);
        }
    }
}

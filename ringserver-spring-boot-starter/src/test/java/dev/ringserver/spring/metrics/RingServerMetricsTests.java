package dev.ringserver.spring.metrics;

import dev.ringserver.spring.server.RingWebServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The meters against a real server: values, tags, and counts that survive a stop and a start. */
class RingServerMetricsTests {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RingWebServer webServer = CoreServers.webServer(2);

    @AfterEach
    void stop() {
        webServer.destroy();
    }

    @Test
    void everyMeterCarriesTheBackendTag() {
        webServer.start();
        String backend = webServer.getRingServer().backendName();
        new RingServerMetrics(webServer::getRingServer, Tags.of("app", "test")).bindTo(registry);

        List<Meter> meters = registry.getMeters();
        assertThat(meters).isNotEmpty().allSatisfy(meter -> {
            assertThat(meter.getId().getTag("backend")).isEqualTo(backend);
            assertThat(meter.getId().getTag("app")).isEqualTo("test");
        });
        Set<String> names = meters.stream().map(meter -> meter.getId().getName()).collect(Collectors.toSet());
        assertThat(names).contains("ringserver.connections.active", "ringserver.connections.accepted",
                "ringserver.connections.rejected", "ringserver.requests", "ringserver.requests.active",
                "ringserver.bytes.received", "ringserver.bytes.sent", "ringserver.sendfile.bytes",
                "ringserver.io.syscalls", "ringserver.io.completions", "ringserver.http.errors");
        assertThat(names.contains("ringserver.io.cq.overflows")).isEqualTo(backend.equals("io_uring"));
        assertThat(registry.find("ringserver.http.errors").functionCounters())
                .extracting(counter -> counter.getId().getTag("status"))
                .containsExactlyInAnyOrder("400", "408", "413", "414", "417", "431", "501", "503", "505");
    }

    @Test
    void countsRequestsBytesAndConnectionsOverAllLoops() throws Exception {
        webServer.start();
        new RingServerMetrics(webServer::getRingServer, Tags.empty()).bindTo(registry);
        CoreServers.get(webServer.getPort(), 5);

        // The loops count after the response is sent; a scrape may come a moment later.
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("ringserver.requests") == 5);
        assertThat(counter("ringserver.connections.accepted")).isGreaterThanOrEqualTo(1);
        assertThat(counter("ringserver.bytes.received")).isGreaterThan(5 * "GET / HTTP/1.1\r\n".length());
        assertThat(counter("ringserver.bytes.sent")).isGreaterThan(5 * "HTTP/1.1 200 OK\r\n".length());
        assertThat(counter("ringserver.io.completions")).isPositive();
        assertThat(registry.get("ringserver.requests.active").gauge().value()).isZero();
    }

    @Test
    void countsErrorsTheEngineAnswersByStatus() throws Exception {
        webServer.start();
        new RingServerMetrics(webServer::getRingServer, Tags.empty()).bindTo(registry);

        assertThat(CoreServers.sendMalformed(webServer.getPort())).startsWith("HTTP/1.1 400");

        await().atMost(Duration.ofSeconds(5)).until(() -> errors("400") == 1);
        assertThat(errors("431")).isZero();
        assertThat(counter("ringserver.requests")).isZero();
    }

    @Test
    void showsOpenConnectionsWhileTheyAreOpen() throws Exception {
        webServer.start();
        new RingServerMetrics(webServer::getRingServer, Tags.empty()).bindTo(registry);
        Gauge active = registry.get("ringserver.connections.active").gauge();
        try (Socket socket = new Socket("127.0.0.1", webServer.getPort())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> active.value() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> active.value() == 0);
    }

    @Test
    void countsStayMonotonicWhenTheServerStopsAndStartsAgain() throws Exception {
        webServer.start();
        new RingServerMetrics(webServer::getRingServer, Tags.empty()).bindTo(registry);
        CoreServers.get(webServer.getPort(), 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("ringserver.requests") == 3);
        double bytesBefore = counter("ringserver.bytes.sent");
        double acceptedBefore = counter("ringserver.connections.accepted");

        webServer.stop();
        assertThat(counter("ringserver.requests")).isEqualTo(3);
        assertThat(counter("ringserver.bytes.sent")).isEqualTo(bytesBefore);
        assertThat(registry.get("ringserver.connections.active").gauge().value()).isZero();

        webServer.start(); // a fresh core server, its own counters at zero
        assertThat(counter("ringserver.requests")).isEqualTo(3);
        assertThat(counter("ringserver.connections.accepted")).isEqualTo(acceptedBefore);
        CoreServers.get(webServer.getPort(), 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("ringserver.requests") == 5);
        assertThat(counter("ringserver.bytes.sent")).isGreaterThan(bytesBefore);
        assertThat(counter("ringserver.connections.accepted")).isGreaterThan(acceptedBefore);
    }

    @Test
    void withoutARunningServerTheMetersReadZero() {
        new RingServerMetrics(() -> null, Tags.empty()).bindTo(registry);
        assertThat(registry.get("ringserver.requests").functionCounter().count()).isZero();
        assertThat(registry.get("ringserver.connections.active").gauge().value()).isZero();
        assertThat(registry.get("ringserver.requests").functionCounter().getId().getTag("backend")).isEqualTo("none");
    }

    private double counter(String name) {
        FunctionCounter counter = registry.get(name).functionCounter();
        return counter.count();
    }

    private double errors(String status) {
        return registry.get("ringserver.http.errors").tag("status", status).functionCounter().count();
    }
}

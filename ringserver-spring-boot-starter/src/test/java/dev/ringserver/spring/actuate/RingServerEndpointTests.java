package dev.ringserver.spring.actuate;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.Availability;
import dev.ringserver.io.Backends;
import dev.ringserver.io.IoConfig;
import dev.ringserver.server.RingServer;
import dev.ringserver.spring.autoconfigure.RingBackends;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.Shutdown;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The endpoint's report about a real server, running and stopped. */
class RingServerEndpointTests {

    private final RingServerReactiveWebServerFactory factory = new RingServerReactiveWebServerFactory(0);
    private final RingWebServer webServer = new RingWebServer(() -> RingServer.builder()
            .address(InetAddress.getLoopbackAddress())
            .port(0)
            .loops(2)
            .ioConfig(factory.getIoConfig())
            .http(exchange -> exchange.response().end(new byte[0]), factory.getHttpConfig())
            .build(), 0, Shutdown.IMMEDIATE);
    private final RingServerEndpoint endpoint = new RingServerEndpoint(() -> webServer, () -> factory);

    @AfterEach
    void stop() {
        webServer.destroy();
    }

    @Test
    void describesTheRunningServer() throws Exception {
        factory.setIoConfig(IoConfig.DEFAULT.withDisabledFeatures(Set.of("ext_arg", "buffer_ring")));
        webServer.start();
        RingServer server = webServer.getRingServer();

        RingServerDescriptor descriptor = endpoint.ringserver();

        assertThat(descriptor.state()).isEqualTo("running");
        assertThat(descriptor.backend()).isEqualTo(server.backendName());
        assertThat(descriptor.configuredBackend()).isEqualTo("auto");
        assertThat(descriptor.selection()).isEqualTo(server.selectionExplanation()).startsWith("auto chose");
        assertThat(descriptor.features()).isEqualTo(server.features());
        assertThat(descriptor.port()).isEqualTo(webServer.getPort());
        assertThat(descriptor.kernelRelease()).isEqualTo(System.getProperty("os.version"));
        assertThat(descriptor.backends()).extracting(RingBackends.Probe::name)
                .containsExactly("io_uring", "epoll", "kqueue", "nio");
        assertThat(descriptor.backends()).filteredOn(probe -> probe.name().equals(server.backendName()))
                .singleElement().satisfies(probe -> assertThat(probe.available()).isTrue());
        Availability kqueue = Backends.byName("kqueue").availability();
        assertThat(descriptor.backends()).filteredOn(probe -> probe.name().equals("kqueue"))
                .singleElement().satisfies(probe -> {
                    assertThat(probe.available()).isEqualTo(kqueue.available());
                    assertThat(probe.reason()).isEqualTo(kqueue.reason()).isNotBlank();
                    assertThat(probe.features()).hasSize(kqueue.available() ? kqueue.features().split(",").length : 0);
                });
        assertThat(descriptor.loops()).extracting(RingServerDescriptor.Loop::index).containsExactly(0, 1);
        assertThat(descriptor.limits().eventLoops()).isEqualTo(2);
        assertThat(descriptor.limits().http().maxHeaderBytes()).isEqualTo(HttpConfig.DEFAULT.maxHeaderBytes());
        assertThat(descriptor.limits().http().idleTimeout()).isEqualTo("PT1M");
        assertThat(descriptor.limits().io().completionQueueEntries()).isEqualTo(8192);
        assertThat(descriptor.limits().io().disabledFeatures()).containsExactly("buffer_ring", "ext_arg");
    }

    @Test
    void countsOpenConnectionsPerLoop() throws Exception {
        webServer.start();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), webServer.getPort())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.ringserver().loops().stream()
                    .mapToLong(RingServerDescriptor.Loop::activeConnections).sum() == 1);
        }
    }

    @Test
    void describesAStoppedServerFromItsConfiguration() {
        factory.setBackend("nio");
        factory.setEventLoops(3);
        RingServerDescriptor descriptor = endpoint.ringserver();
        assertThat(descriptor.state()).isEqualTo("stopped");
        assertThat(descriptor.backend()).isEqualTo("nio");
        assertThat(descriptor.port()).isEqualTo(-1);
        assertThat(descriptor.loops()).isEmpty();
        assertThat(descriptor.limits().eventLoops()).isEqualTo(3);
        assertThat(descriptor.backends()).hasSize(4);
    }

    @Test
    void withoutARingServerFactoryThereAreNoLimits() {
        RingServerDescriptor descriptor = new RingServerEndpoint(() -> null, () -> null).ringserver();
        assertThat(descriptor.state()).isEqualTo("stopped");
        assertThat(descriptor.limits()).isNull();
    }
}

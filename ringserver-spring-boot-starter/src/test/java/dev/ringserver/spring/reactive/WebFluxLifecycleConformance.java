package dev.ringserver.spring.reactive;

import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The web server's life in a Spring Boot application on one backend: graceful shutdown when idle and
 * with a request in flight, a graceful shutdown cut short by {@code stop()}, closing the application
 * context, and stop followed by start. Each test starts its own application.
 */
abstract class WebFluxLifecycleConformance {

    private ConfigurableApplicationContext context;

    protected abstract String backend();

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    private RingWebServer start(String... properties) {
        context = new SpringApplicationBuilder(ConformanceApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("server.port=0", "ringserver.backend=" + backend(), "ringserver.event-loops=1",
                        "spring.main.banner-mode=off")
                .properties(properties)
                .run();
        return (RingWebServer) ((WebServerApplicationContext) context).getWebServer();
    }

    private ConformanceApplication.Probe probe() {
        return context.getBean(ConformanceApplication.Probe.class);
    }

    @Test
    void shutsDownGracefullyAtOnceWhenIdle() throws Exception {
        RingWebServer server = start();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        long begin = System.nanoTime();
        server.shutDownGracefully(result::complete);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isLessThan(2000);
    }

    @Test
    void letsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        RingWebServer server = start();
        int port = server.getPort();
        try (RawClient slow = RawClient.connect(port); RawClient idle = RawClient.connect(port)) {
            assertThat(idle.exchange("GET /json HTTP/1.1\r\nHost: test\r\n\r\n").status()).isEqualTo(200);
            slow.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(probe().slowStarted.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            server.shutDownGracefully(result::complete);

            // The idle keep-alive connection is closed, and no new connection is accepted.
            ByteArrayOutputStream nothing = new ByteArrayOutputStream();
            idle.readUntilClosed(nothing);
            assertThat(nothing.size()).isZero();
            Thread.sleep(100);
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            assertThat(result).isNotDone();

            // The request in flight completes, announced as the connection's last.
            RawClient.Response response = slow.read(false);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("slow done");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
        }
    }

    @Test
    void reportsRequestsActiveWhenStopCutsTheGracePeriodShort() throws Exception {
        RingWebServer server = start();
        try (RawClient hanging = RawClient.connect(server.getPort())) {
            hanging.send("GET /hang HTTP/1.1\r\nHost: test\r\n\r\n");
            Thread.sleep(200);
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            server.shutDownGracefully(result::complete);
            Thread.sleep(300);
            assertThat(result).isNotDone();
            server.stop();
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
            assertThat(probe().cancelled.await(5, TimeUnit.SECONDS)).as("the hanging handler was cancelled").isTrue();
            assertThat(server.getPort()).isEqualTo(-1);
        }
    }

    @Test
    void closingTheContextWaitsForTheRequestInFlight() throws Exception {
        RingWebServer server = start("spring.lifecycle.timeout-per-shutdown-phase=10s");
        try (RawClient slow = RawClient.connect(server.getPort())) {
            slow.send("GET /slow?ms=1000 HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(probe().slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
            RawClient.Response response = slow.read(false);
            assertThat(response.text()).isEqualTo("slow done");
            closed.get(10, TimeUnit.SECONDS);
            assertThat(server.getPort()).isEqualTo(-1);
        }
    }

    @Test
    void shutsDownAtOnceWithImmediateShutdown() throws Exception {
        RingWebServer server = start("server.shutdown=immediate");
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        server.shutDownGracefully(result::complete);
        assertThat(result.get(1, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IMMEDIATE);
    }

    @Test
    void startsAgainAfterStop() throws Exception {
        RingWebServer server = start();
        int first = server.getPort();
        assertThat(get(first)).isEqualTo(200);
        server.stop();
        assertThat(server.getPort()).isEqualTo(-1);
        assertThatThrownBy(() -> new Socket("127.0.0.1", first).close()).isInstanceOf(ConnectException.class);
        server.start();
        assertThat(server.getPort()).isPositive();
        assertThat(get(server.getPort())).isEqualTo(200);
        assertThat(server.getRingServer().backendName()).isEqualTo(backend());
    }

    @Test
    void destroyLeavesNoPort() {
        WebServer server = start();
        server.destroy();
        assertThat(server.getPort()).isEqualTo(-1);
    }

    private static int get(int port) throws IOException {
        try (RawClient raw = RawClient.connect(port)) {
            return raw.exchange("GET /json HTTP/1.1\r\nHost: test\r\n\r\n").status();
        }
    }
}

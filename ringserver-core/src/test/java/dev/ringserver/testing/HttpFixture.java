package dev.ringserver.testing;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.server.EventLoop;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.HttpHandler;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP conformance suites share: servers on the backend under test, raw and JDK clients,
 * client threads, and the check after each test that everything was stopped and closed, that every
 * loop ended with no connection and that no descriptor or native memory leaked.
 */
public final class HttpFixture implements Closeable {

    /** RFC 9110 §5.6.7 IMF-fixdate. */
    public static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    + "[0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT");

    private final BackendUnderTest backend;
    private final Leaks leaks;
    private final List<RingServer> servers = new ArrayList<>();
    private final List<Closeable> clients = new ArrayList<>();
    private final List<HttpClient> httpClients = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** Skips the test when the backend is unavailable, then takes the leak snapshot. */
    public HttpFixture(BackendUnderTest backend) {
        backend.assumeAvailable();
        this.backend = backend;
        this.leaks = Leaks.snapshot();
    }

    /** One loop on 127.0.0.1, an ephemeral port, the backend under test. */
    public RingServer.Builder builder() {
        return RingServer.builder()
                .address(InetAddress.getLoopbackAddress())
                .port(0)
                .loops(1)
                .backend(backend.backend())
                .ioConfig(backend.ioConfig());
    }

    public RingServer start(HttpHandler handler) throws IOException {
        return start(builder().http(handler));
    }

    public RingServer start(HttpHandler handler, HttpConfig config) throws IOException {
        return start(builder().http(handler, config));
    }

    public RingServer start(RingServer.Builder builder) throws IOException {
        RingServer server = builder.build();
        servers.add(server);
        server.start();
        assertThat(server.backendName()).isEqualTo(backend.backend());
        return server;
    }

    public RawHttpClient connect(RingServer server) throws IOException {
        RawHttpClient client = RawHttpClient.connect(new InetSocketAddress(server.localAddress().getAddress(),
                server.port()));
        clients.add(client);
        return client;
    }

    /** An HTTP/1.1 JDK client, closed after the test. */
    public HttpClient httpClient() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        httpClients.add(client);
        return client;
    }

    public static URI uri(RingServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Runs {@code task} on a client thread. */
    public <T> CompletableFuture<T> async(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        threads.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    public ExecutorService threads() {
        return threads;
    }

    /** {@code counter} summed over the server's loops. */
    public static long count(RingServer server, HttpCounter counter) {
        long total = 0;
        for (EventLoop loop : server.loops()) {
            total += loop.httpCounters().get(counter);
        }
        return total;
    }

    /** Asserts an RFC 9110 IMF-fixdate within a minute of now. */
    public static void assertHttpDate(String value) {
        assertThat(value).as("Date").isNotNull().matches(IMF_FIXDATE);
        Instant date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(Duration.between(date, Instant.now()).abs()).as("Date is now").isLessThan(Duration.ofMinutes(1));
    }

    public static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Closes clients, stops servers, checks that no connection is left and nothing leaked. */
    @Override
    public void close() throws IOException {
        for (Closeable client : clients) {
            client.close();
        }
        for (HttpClient client : httpClients) {
            client.shutdownNow();
            client.close();
        }
        threads.shutdownNow();
        try {
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).as("client threads ended").isTrue();
            for (RingServer server : servers) {
                server.stop();
                for (EventLoop loop : server.loops()) {
                    assertThat(loop.counters().get(LoopCounter.ACTIVE)).as("connections left on loop " + loop.index())
                            .isZero();
                }
            }
            leaks.assertNoLeaks();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

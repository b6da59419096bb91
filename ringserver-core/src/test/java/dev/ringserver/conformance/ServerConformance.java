package dev.ringserver.conformance;

import dev.ringserver.server.EventLoop;
import dev.ringserver.cli.HelloHandler;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.Leaks;
import dev.ringserver.testing.TestHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport, end to end: a {@link RingServer} on one backend, real clients over loopback. Every
 * backend runs these through a subclass; an unavailable backend is skipped with the probe's reason.
 * Each test ends by stopping the server and proving that no descriptor or native memory leaked.
 */
abstract class ServerConformance {

    static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<RingServer> servers = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private Leaks leaks;

    protected abstract BackendUnderTest backendUnderTest();

    @BeforeEach
    void snapshot() {
        backendUnderTest().assumeAvailable();
        leaks = Leaks.snapshot();
    }

    @AfterEach
    void stopAndCheckLeaks() throws Exception {
        if (leaks == null) {
            return;
        }
        for (Socket client : clients) {
            client.close();
        }
        clientThreads.shutdownNow();
        assertThat(clientThreads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (RingServer server : servers) {
            server.stop();
            for (EventLoop loop : server.loops()) {
                assertThat(loop.counters().get(LoopCounter.ACTIVE)).as("connections left on loop " + loop.index())
                        .isZero();
            }
        }
        leaks.assertNoLeaks();
    }

    @Test
    void answersHttpClientRequestsOnOneKeptAliveConnection() throws Exception {
        RingServer server = start(builder().http(new HelloHandler()));
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(server, "/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("Hello, World!");
                assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
            }
        }
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPTED)).as("keep-alive reuses one connection")
                .isEqualTo(1);
    }

    @Test
    void servesMoreThanAThousandConnectionsAtOnce() throws Exception {
        RingServer server = start(builder().http(new HelloHandler()));
        int count = 1200;
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.add(connect(server));
        }
        for (Socket socket : open) {
            socket.getOutputStream().write(REQUEST);
        }
        for (Socket socket : open) {
            assertThat(readResponse(socket.getInputStream())).endsWith("Hello, World!");
        }
        assertThat(server.connectionTotals().get(LoopCounter.ACTIVE)).as("all open at the same time").isEqualTo(count);
        for (Socket socket : open) {
            socket.close();
        }
        awaitNoConnections(server);
    }

    @Test
    void echoes64MiBThroughOneConnectionWithPartialWrites() throws Exception {
        TestHandlers.Closures closures = new TestHandlers.Closures();
        RingServer server = start(builder().handler(TestHandlers.echo(closures)));
        Socket socket = connect(server);
        long total = 64L << 20;
        byte[] block = TestHandlers.patternBlock().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (long sent = 0; sent < total; sent += block.length) {
                    out.write(block);
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, clientThreads);
        Thread.sleep(300); // let the server's socket buffers fill so its writes complete partially
        long echoed = readPattern(socket.getInputStream());
        awaitNoConnections(server);
        assertThat(echoed).as("bytes echoed (connection closures: %s)", closures.causes()).isEqualTo(total);
        writer.get(30, TimeUnit.SECONDS);
        awaitNoConnections(server);
        assertThat(server.connectionTotals().get(LoopCounter.PARTIAL_WRITES)).as("partial writes").isPositive();
        assertThat(closures.causes()).isEmpty();
    }

    @Test
    void sends64MiBToASlowReader() throws Exception {
        TestHandlers.Closures closures = new TestHandlers.Closures();
        long total = 64L << 20;
        RingServer server = start(builder().handler(TestHandlers.source(total, closures)));
        Socket socket = connect(server);
        Thread.sleep(300);
        assertThat(readPattern(socket.getInputStream())).isEqualTo(total);
        awaitNoConnections(server);
        assertThat(server.connectionTotals().get(LoopCounter.PARTIAL_WRITES)).isPositive();
        assertThat(closures.orderly()).isEqualTo(1);
    }

    @Test
    void clientHalfCloseStillGetsEverythingBack() throws Exception {
        TestHandlers.Closures closures = new TestHandlers.Closures();
        RingServer server = start(builder().handler(TestHandlers.echo(closures)));
        Socket socket = connect(server);
        byte[] data = new byte[1 << 20];
        new java.util.Random(3).nextBytes(data);
        CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
            try {
                return socket.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, clientThreads);
        socket.getOutputStream().write(data);
        socket.shutdownOutput();
        assertThat(echoed.get(30, TimeUnit.SECONDS)).as("all data, then end of stream").isEqualTo(data);
        awaitNoConnections(server);
        assertThat(closures.orderly()).isEqualTo(1);
    }

    @Test
    void clientResetMidTransferEndsOnlyThatConnection() throws Exception {
        TestHandlers.Closures closures = new TestHandlers.Closures();
        RingServer server = start(builder().handler(TestHandlers.source(1L << 40, closures)));
        Socket socket = connect(server);
        socket.getInputStream().readNBytes(1 << 20);
        socket.setSoLinger(true, 0);
        socket.close();
        awaitNoConnections(server);
        assertThat(closures.causes()).singleElement().isInstanceOfSatisfying(ErrnoException.class,
                e -> assertThat(e.errnoName()).isIn("ECONNRESET", "EPIPE"));
        Socket next = connect(server);
        assertThat(readPatternPrefix(next.getInputStream(), 1 << 20)).as("the server keeps serving").isTrue();
    }

    @Test
    void runsTasksFromOtherThreadsInOrderOnTheLoop() throws Exception {
        RingServer server = start(builder().http(new HelloHandler()));
        int producers = 4;
        int perProducer = 20_000;
        List<EventLoop> loops = server.loops();
        long[][] lastSeen = new long[loops.size()][producers];
        AtomicLong ran = new AtomicLong();
        AtomicBoolean wrongThreadOrOrder = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            futures.add(pool.submit(() -> {
                for (int i = 1; i <= perProducer; i++) {
                    EventLoop loop = loops.get(i % loops.size());
                    long sequence = i;
                    while (true) {
                        try {
                            loop.execute(() -> {
                                long[] seen = lastSeen[loop.index()];
                                if (!loop.inLoop() || seen[producer] >= sequence) {
                                    wrongThreadOrOrder.set(true);
                                }
                                seen[producer] = sequence;
                                ran.incrementAndGet();
                            });
                            break;
                        } catch (RejectedExecutionException full) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        waitUntil(() -> ran.get() == (long) producers * perProducer, "every task ran");
        assertThat(wrongThreadOrOrder).as("tasks ran on their loop, in submission order per producer").isFalse();

        Thread.sleep(200); // the loops are idle now: a task must wake them
        CountDownLatch woken = new CountDownLatch(loops.size());
        for (EventLoop loop : loops) {
            loop.execute(woken::countDown);
        }
        assertThat(woken.await(5, TimeUnit.SECONDS)).as("idle loops are woken by a task").isTrue();
    }

    @Test
    void schedulesAndCancelsTimersOnTheLoop() throws Exception {
        RingServer server = start(builder().http(new HelloHandler()));
        EventLoop loop = server.loops().getFirst();
        CountDownLatch fired = new CountDownLatch(1);
        AtomicBoolean cancelledRan = new AtomicBoolean();
        long start = System.nanoTime();
        loop.execute(() -> {
            loop.schedule(50, TimeUnit.MILLISECONDS, fired::countDown);
            long id = loop.schedule(20, TimeUnit.MILLISECONDS, () -> cancelledRan.set(true));
            assertThat(loop.cancelScheduled(id)).isTrue();
        });
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
        Thread.sleep(100);
        assertThat(cancelledRan).isFalse();
        assertThatThrownBy(() -> loop.schedule(1, TimeUnit.SECONDS, () -> { }))
                .as("timers belong to the loop thread").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopsWhileBusyAndLeavesNothingBehind() throws Exception {
        RingServer server = start(builder().http(new HelloHandler()));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong responses = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            pool.submit(() -> {
                try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
                    socket.setSoTimeout(10_000);
                    while (!stop.get()) {
                        socket.getOutputStream().write(REQUEST);
                        readResponse(socket.getInputStream());
                        responses.incrementAndGet();
                    }
                } catch (IOException expected) {
                    // the server went away under the client
                }
                return null;
            });
        }
        waitUntil(() -> responses.get() > 2000, "clients busy");
        long start = System.nanoTime();
        server.stop();
        assertThat(System.nanoTime() - start).as("stop time").isLessThan(TimeUnit.SECONDS.toNanos(10));
        for (EventLoop loop : server.loops()) {
            assertThat(loop.counters().get(LoopCounter.ACTIVE)).isZero();
        }
        assertThatThrownBy(() -> server.loops().getFirst().execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stopFromAHandlerOnTheLoopDoesNotWaitForItself() throws Exception {
        java.util.concurrent.atomic.AtomicReference<RingServer> self = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Long> stopNanos = new CompletableFuture<>();
        RingServer server = start(builder().handler(connection -> (c, data, offset, length) -> {
            long start = System.nanoTime();
            self.get().stop();
            stopNanos.complete(System.nanoTime() - start);
            return length;
        }));
        self.set(server);
        connect(server).getOutputStream().write(REQUEST);
        assertThat(stopNanos.get(20, TimeUnit.SECONDS)).as("stop() on a loop thread returns without waiting for it")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
        waitUntil(() -> server.loops().stream().allMatch(loop -> loop.counters().get(LoopCounter.ACTIVE) == 0),
                "the calling loop finishes stopping");
    }

    @Test
    void singleAcceptorHandsConnectionsToEveryLoop() throws Exception {
        RingServer server = start(builder().http(new HelloHandler()).acceptMode(RingServer.AcceptMode.SINGLE_ACCEPTOR));
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket socket = connect(server);
            socket.getOutputStream().write(REQUEST);
            assertThat(readResponse(socket.getInputStream())).endsWith("Hello, World!");
            open.add(socket);
        }
        for (EventLoop loop : server.loops()) {
            assertThat(loop.counters().get(LoopCounter.ACCEPTED)).as("connections on loop " + loop.index()).isEqualTo(10);
        }
        for (Socket socket : open) {
            socket.close();
        }
        awaitNoConnections(server);
    }

    @Test
    void stopsAcceptingAtTheConnectionLimitAndResumesWhenOneCloses() throws Exception {
        RingServer server = start(builder().http(new HelloHandler()).loops(1).maxConnectionsPerLoop(4));
        List<Socket> served = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket socket = connect(server);
            socket.getOutputStream().write(REQUEST);
            assertThat(readResponse(socket.getInputStream())).endsWith("Hello, World!");
            served.add(socket);
        }
        Thread.sleep(100);
        Socket waiting = connect(server); // completes in the kernel's backlog
        waiting.getOutputStream().write(REQUEST);
        waiting.setSoTimeout(500);
        assertThatThrownBy(() -> waiting.getInputStream().read()).as("not accepted while at the limit")
                .isInstanceOf(java.net.SocketTimeoutException.class);
        served.getFirst().close();
        waiting.setSoTimeout(10_000);
        assertThat(readResponse(waiting.getInputStream())).endsWith("Hello, World!");
        assertThat(server.connectionTotals().get(LoopCounter.ACCEPTED)).isEqualTo(5);
        assertThat(server.connectionTotals().get(LoopCounter.REJECTED)).isZero();
    }

    @Test
    void failsClearlyWhenThePortIsTaken() throws Exception {
        RingServer first = start(builder().http(new HelloHandler()));
        RingServer second = builder().http(new HelloHandler()).port(first.port()).build();
        assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(first.port()))
                .hasMessageContaining("another process");
        assertThat(second.loops()).allSatisfy(loop -> assertThat(loop.counters().get(LoopCounter.ACTIVE)).isZero());
    }

    @Test
    void servesEveryoneWhenReceiveBuffersAreScarce() throws Exception {
        TestHandlers.Closures closures = new TestHandlers.Closures();
        RingServer server = start(builder().handler(TestHandlers.echo(closures))
                .ioConfig(backendUnderTest().withRecvBuffers(4096, 4).ioConfig()));
        int clientsCount = 40;
        int size = 256 * 1024;
        ExecutorService pool = Executors.newFixedThreadPool(clientsCount);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < clientsCount; i++) {
            byte seed = (byte) i;
            results.add(pool.submit(() -> {
                try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
                    socket.setSoTimeout(30_000);
                    byte[] data = new byte[size];
                    java.util.Arrays.fill(data, seed);
                    CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                        try {
                            return socket.getInputStream().readNBytes(size);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }, clientThreads);
                    socket.getOutputStream().write(data);
                    return java.util.Arrays.equals(back.get(30, TimeUnit.SECONDS), data);
                }
            }));
        }
        for (Future<Boolean> result : results) {
            assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
        }
        pool.shutdown();
        awaitNoConnections(server);
        assertThat(closures.causes()).isEmpty();
    }

    // ---- helpers

    RingServer.Builder builder() {
        return RingServer.builder()
                .address(InetAddress.getLoopbackAddress())
                .port(0)
                .loops(2)
                .backend(backendUnderTest().backend())
                .ioConfig(backendUnderTest().ioConfig());
    }

    RingServer start(RingServer.Builder builder) throws IOException {
        RingServer server = builder.build();
        servers.add(server);
        server.start();
        assertThat(server.backendName()).isEqualTo(backendUnderTest().backend());
        return server;
    }

    Socket connect(RingServer server) throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.connect(new InetSocketAddress(server.localAddress().getAddress(), server.port()), 5000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    static URI uri(RingServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Reads one fixed-size hello response (head and 13-byte body). */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.length() + " bytes");
            }
            head.append((char) b);
        }
        return head + new String(in.readNBytes(13), StandardCharsets.US_ASCII);
    }

    /** Reads to end of stream, checking the pattern byte by byte; returns the byte count. */
    static long readPattern(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long position = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] != (byte) (position + i)) {
                    throw new AssertionError("byte " + (position + i) + " is wrong");
                }
            }
            position += n;
        }
        return position;
    }

    static boolean readPatternPrefix(InputStream in, int length) throws IOException {
        byte[] data = in.readNBytes(length);
        for (int i = 0; i < data.length; i++) {
            if (data[i] != (byte) i) {
                return false;
            }
        }
        return data.length == length;
    }

    static void awaitNoConnections(RingServer server) throws InterruptedException {
        waitUntil(() -> server.connectionTotals().get(LoopCounter.ACTIVE) == 0, "all connections closed");
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }
}

package dev.ringserver.conformance;

import dev.ringserver.io.IoCounter;
import dev.ringserver.server.EventLoop;
import dev.ringserver.cli.HelloHandler;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.sys.Platform;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxFiles;
import dev.ringserver.sys.linux.LinuxLimits;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * When accept fails for lack of descriptors ({@code EMFILE}) the loop must neither spin nor die: it
 * backs off, and serves the waiting connections once descriptors are available again.
 *
 * <p>The test lowers this process's open-file limit so that exactly the client sockets it opens fit,
 * leaving none for the server's accept. It changes process-wide state, so it keeps the window short
 * and restores the limit in all cases.
 */
class AcceptBackoffIT {

    private static final int CLIENTS = 3;

    static List<BackendUnderTest> backends() {
        return List.of(BackendUnderTest.ioUring(), BackendUnderTest.ioUringMinimal(), BackendUnderTest.epoll(),
                BackendUnderTest.kqueue(), BackendUnderTest.nio());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void acceptBacksOffOnEmfileAndRecovers(BackendUnderTest backend) throws Exception {
        backend.assumeAvailable();
        assumeTrue(Platform.isLinux(), "needs /proc/self/fd and setrlimit");
        Leaks leaks = Leaks.snapshot();
        LinuxLimits.Limit original = LinuxLimits.get(LinuxAbi.RLIMIT_NOFILE);
        Process clients = startClients((int) HelloHandler.responseLength());
        List<Integer> fillers = new ArrayList<>();
        RingServer server = null;
        try {
            // io_uring's accept takes the descriptor limit when it is prepared, so the limit is lowered
            // before the server starts; the slots left afterwards are then filled with dummies.
            LinuxLimits.set(LinuxAbi.RLIMIT_NOFILE, new LinuxLimits.Limit(Leaks.openFdCount() + 32, original.hard()));
            server = RingServer.builder().address(InetAddress.getLoopbackAddress()).port(0).loops(1)
                    .backend(backend.backend()).ioConfig(backend.ioConfig()).http(new HelloHandler()).build();
            server.start();
            EventLoop loop = server.loops().getFirst();
            warmUp(loop, server);
            for (int fd = LinuxFiles.eventfd(0, LinuxAbi.EFD_CLOEXEC); fd >= 0; fd = LinuxFiles.eventfd(0, LinuxAbi.EFD_CLOEXEC)) {
                fillers.add(fd);
            }
            long syscallsBefore = loop.ioCounters().get(IoCounter.SYSCALLS);
            clients.getOutputStream().write(("go " + server.port() + "\n").getBytes(StandardCharsets.US_ASCII));
            clients.getOutputStream().flush();
            Thread.sleep(500);
            long errors = loop.counters().get(LoopCounter.ACCEPT_ERRORS);
            long syscalls = loop.ioCounters().get(IoCounter.SYSCALLS) - syscallsBefore;
            closeAll(fillers);
            assertThat(errors).as("accept failed with EMFILE").isPositive();
            assertThat(syscalls).as("system calls while accept kept failing (a spinning loop makes many thousands)")
                    .isLessThan(500);
            assertThat(clients.waitFor(20, TimeUnit.SECONDS)).as("clients finished").isTrue();
            String output = new String(clients.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(output.lines().filter(line -> line.equals("Hello, World!")).count())
                    .as("every waiting connection is served once descriptors are free: " + output).isEqualTo(CLIENTS);
            assertThat(loop.counters().get(LoopCounter.ACCEPTED)).isEqualTo(1 + CLIENTS);
        } finally {
            closeAll(fillers);
            LinuxLimits.set(LinuxAbi.RLIMIT_NOFILE, original);
            clients.destroyForcibly().waitFor();
            clients.getInputStream().close();
            clients.getOutputStream().close();
            clients.getErrorStream().close();
            if (server != null) {
                server.stop();
            }
        }
        leaks.assertNoLeaks();
    }

    private static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            PosixFiles.close(fd);
        }
        fds.clear();
    }

    /**
     * Clients in a child process (so they do not use this process's descriptors): given
     * {@code go <port>} on standard input they open the connections and send a request on each, then
     * read each response ({@code responseLength} bytes) and print its body on a line.
     */
    private static Process startClients(int responseLength) throws IOException {
        String script = "read go port; fds=(); for i in $(seq " + CLIENTS + "); do exec {fd}<>/dev/tcp/127.0.0.1/$port; "
                + "fds+=($fd); printf 'GET / HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n' >&$fd; done; "
                + "for fd in \"${fds[@]}\"; do timeout 15 head -c " + responseLength + " <&$fd | tail -c 13; echo; done";
        return new ProcessBuilder("bash", "-c", script).start();
    }

    /**
     * Exercises everything the loop and the test run while descriptors are scarce, so no class needs
     * loading (which opens files) inside that window.
     */
    private static void warmUp(EventLoop loop, RingServer server) throws IOException, InterruptedException {
        CountDownLatch scheduled = new CountDownLatch(1);
        loop.execute(() -> loop.schedule(1, TimeUnit.MILLISECONDS, scheduled::countDown));
        assertThat(scheduled.await(5, TimeUnit.SECONDS)).isTrue();
        try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(ServerConformance.REQUEST);
            ServerConformance.readResponse(socket.getInputStream());
        }
        dev.ringserver.sys.Errno.describe(dev.ringserver.sys.Errno.EMFILE);
    }
}

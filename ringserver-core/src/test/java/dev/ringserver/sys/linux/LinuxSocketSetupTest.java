package dev.ringserver.sys.linux;

import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.sys.posix.PosixSockets;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinuxSocketSetupTest {

    private static final long ACCEPT_DEADLINE_NANOS = 10_000_000_000L;

    private final List<Integer> fds = new ArrayList<>();

    @AfterEach
    void closeFds() {
        for (int fd : fds) {
            PosixFiles.close(fd);
        }
    }

    @Test
    void opensListenerOnEphemeralPort() throws ErrnoException {
        int fd = track(LinuxSocketSetup.openListener(loopback(0), 16, false));

        InetSocketAddress local = LinuxSocketSetup.localAddress(fd);

        assertThat(fd).isNotNegative();
        assertThat(local.getPort()).isPositive();
        assertThat(local.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    }

    @Test
    void listenerIsNonBlockingAndCloseOnExec() throws ErrnoException {
        int fd = track(LinuxSocketSetup.openListener(loopback(0), 16, false));

        assertThat(PosixFiles.fcntl(fd, LinuxAbi.F_GETFL, 0) & LinuxAbi.O_NONBLOCK).isEqualTo(LinuxAbi.O_NONBLOCK);
        assertThat(LinuxSockets.accept4(fd, MemorySegment.NULL, MemorySegment.NULL, LinuxAbi.SOCK_CLOEXEC))
                .isEqualTo(-LinuxErrno.EAGAIN);
    }

    @Test
    void listenerHasReuseAddrAndNoDelay() throws ErrnoException {
        int fd = track(LinuxSocketSetup.openListener(loopback(0), 16, false));

        assertThat(PosixSockets.getIntOption(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_REUSEADDR, "SO_REUSEADDR")).isNotZero();
        assertThat(PosixSockets.getIntOption(fd, LinuxAbi.IPPROTO_TCP, LinuxAbi.TCP_NODELAY, "TCP_NODELAY")).isNotZero();
        assertThat(PosixSockets.getIntOption(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_REUSEPORT, "SO_REUSEPORT")).isZero();
    }

    @Test
    void secondListenerOnSamePortFailsWithAddressInUse() throws ErrnoException {
        int first = track(LinuxSocketSetup.openListener(loopback(0), 16, false));
        int port = LinuxSocketSetup.localAddress(first).getPort();

        assertThatThrownBy(() -> track(LinuxSocketSetup.openListener(loopback(port), 16, false)))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(LinuxErrno.EADDRINUSE);
                    assertThat(e.call()).isEqualTo("bind(127.0.0.1:" + port + ")");
                })
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("EADDRINUSE")
                .hasMessageContaining("another process");
    }

    @Test
    void failedListenerClosesItsSocket() throws ErrnoException {
        int first = track(LinuxSocketSetup.openListener(loopback(0), 16, false));
        int port = LinuxSocketSetup.localAddress(first).getPort();
        int before = Leaks.openFdCount();

        assertThatThrownBy(() -> track(LinuxSocketSetup.openListener(loopback(port), 16, false)))
                .isInstanceOf(ErrnoException.class);

        assertThat(Leaks.openFdCount()).isEqualTo(before);
    }

    @Test
    void listenersWithReusePortShareThePort() throws ErrnoException {
        int first = track(LinuxSocketSetup.openListener(loopback(0), 16, true));
        int port = LinuxSocketSetup.localAddress(first).getPort();

        int second = track(LinuxSocketSetup.openListener(loopback(port), 16, true));

        assertThat(second).isNotEqualTo(first);
        assertThat(LinuxSocketSetup.localAddress(second).getPort()).isEqualTo(port);
        assertThat(PosixSockets.getIntOption(second, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_REUSEPORT, "SO_REUSEPORT"))
                .isNotZero();
    }

    @Test
    void reusePortDoesNotShareWithListenerWithoutIt() throws ErrnoException {
        int first = track(LinuxSocketSetup.openListener(loopback(0), 16, false));
        int port = LinuxSocketSetup.localAddress(first).getPort();

        assertThatThrownBy(() -> track(LinuxSocketSetup.openListener(loopback(port), 16, true)))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(LinuxErrno.EADDRINUSE));
    }

    @Test
    void acceptedSocketsInheritNoDelay() throws Exception {
        int listener = track(LinuxSocketSetup.openListener(loopback(0), 16, false));
        int port = LinuxSocketSetup.localAddress(listener).getPort();

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            int accepted = track(acceptWithRetry(listener));

            assertThat(PosixSockets.getIntOption(accepted, LinuxAbi.IPPROTO_TCP, LinuxAbi.TCP_NODELAY, "TCP_NODELAY"))
                    .isNotZero();
            assertThat(LinuxSocketSetup.remoteAddress(accepted).getPort()).isEqualTo(client.getLocalPort());
            assertThat(LinuxSocketSetup.localAddress(accepted).getPort()).isEqualTo(port);
        }
    }

    @Test
    void ipv6WildcardListenerAcceptsIpv4() throws Exception {
        int listener = track(LinuxSocketSetup.openListener(wildcard6(), 16, false));
        int port = LinuxSocketSetup.localAddress(listener).getPort();

        assertThat(PosixSockets.getIntOption(listener, LinuxAbi.IPPROTO_IPV6, LinuxAbi.IPV6_V6ONLY, "IPV6_V6ONLY"))
                .isZero();
        assertThat(LinuxSocketSetup.localAddress(listener).getAddress()).isInstanceOf(Inet6Address.class);
        try (Socket client = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            int accepted = track(acceptWithRetry(listener));

            assertThat(LinuxSocketSetup.remoteAddress(accepted).getPort()).isEqualTo(client.getLocalPort());
        }
    }

    @Test
    void ipv4PeerOfDualStackListenerIsReportedAsIpv4() throws Exception {
        int listener = track(LinuxSocketSetup.openListener(wildcard6(), 16, false));
        int port = LinuxSocketSetup.localAddress(listener).getPort();

        try (Socket client = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            int accepted = track(acceptWithRetry(listener));

            assertThat(LinuxSocketSetup.remoteAddress(accepted))
                    .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), client.getLocalPort()));
        }
    }

    @Test
    void setIntThenGetIntRoundTrips() throws ErrnoException {
        int fd = track(LinuxSocketSetup.openListener(loopback(0), 16, false));

        PosixSockets.setIntOption(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_KEEPALIVE, 1, "SO_KEEPALIVE");

        assertThat(PosixSockets.getIntOption(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_KEEPALIVE, "SO_KEEPALIVE")).isNotZero();
    }

    @Test
    void optionCallsOnBadDescriptorThrowWithOptionName() {
        assertThatThrownBy(() -> PosixSockets.getIntOption(-1, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_ERROR, "SO_ERROR"))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(LinuxErrno.EBADF))
                .hasMessageStartingWith("getsockopt(SO_ERROR) failed: EBADF");
        assertThatThrownBy(() -> PosixSockets.setIntOption(-1, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_LINGER, 1, "LINGER"))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(LinuxErrno.EBADF))
                .hasMessageStartingWith("setsockopt(LINGER) failed: EBADF");
        assertThatThrownBy(() -> LinuxSocketSetup.localAddress(-1))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.call()).isEqualTo("getsockname"));
    }

    private int track(int fd) {
        fds.add(fd);
        return fd;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static InetSocketAddress wildcard6() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName("::"), 0);
    }

    private static int acceptWithRetry(int listener) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            int fd = LinuxSockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, LinuxAbi.SOCK_CLOEXEC);
            if (fd != -LinuxErrno.EAGAIN || System.nanoTime() - start > ACCEPT_DEADLINE_NANOS) {
                assertThat(fd).as("accept4").isNotNegative();
                return fd;
            }
            Thread.sleep(1);
        }
    }
}

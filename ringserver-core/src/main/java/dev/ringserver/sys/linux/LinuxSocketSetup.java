package dev.ringserver.sys.linux;

import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.SocketAddresses;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.sys.posix.PosixSockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Socket set-up on Linux, built on {@link PosixSockets}: listeners, options and addresses. Not for hot
 * paths: each call uses a short-lived confined arena. Failures throw {@link ErrnoException} naming
 * the call and the address. Thread-safe.
 */
public final class LinuxSocketSetup {

    private LinuxSocketSetup() {
    }

    /**
     * Opens a non-blocking, close-on-exec TCP listener bound to {@code address} with
     * {@code SO_REUSEADDR} (and {@code SO_REUSEPORT} if asked) and {@code TCP_NODELAY}, which accepted
     * sockets inherit. An IPv6 wildcard address also accepts IPv4, as in Java's own sockets.
     */
    public static int openListener(InetSocketAddress address, int backlog, boolean reusePort) throws ErrnoException {
        int family = LinuxSockAddr.family(address);
        int fd = ErrnoException.check("socket",
                PosixSockets.socket(family, LinuxAbi.SOCK_STREAM | LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC, 0));
        try {
            PosixSockets.setIntOption(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_REUSEADDR, 1, "SO_REUSEADDR");
            if (reusePort) {
                PosixSockets.setIntOption(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            if (address.getAddress() instanceof Inet6Address ip6 && ip6.isAnyLocalAddress()) {
                PosixSockets.setIntOption(fd, LinuxAbi.IPPROTO_IPV6, LinuxAbi.IPV6_V6ONLY, 0, "IPV6_V6ONLY");
            }
            PosixSockets.setIntOption(fd, LinuxAbi.IPPROTO_TCP, LinuxAbi.TCP_NODELAY, 1, "TCP_NODELAY");
            // NATIVE: confined arena for the sockaddr; bind copies it synchronously.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sockaddr = arena.allocate(LinuxAbi.SOCKADDR_STORAGE_SIZE, 8);
                int length = LinuxSockAddr.write(address, sockaddr);
                int rc = PosixSockets.bind(fd, sockaddr, length);
                if (rc < 0) {
                    throw new ErrnoException("bind(" + SocketAddresses.format(address) + ")", -rc, bindHint(-rc));
                }
            }
            ErrnoException.check("listen", PosixSockets.listen(fd, backlog));
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            PosixFiles.close(fd);
            throw e;
        }
    }

    /** Sets {@code SO_LINGER} to {@code seconds}; 0 makes close send a reset. */
    public static void setLinger(int fd, boolean on, int seconds) throws ErrnoException {
        // NATIVE: confined arena for struct linger; setsockopt copies it synchronously.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(LinuxAbi.LINGER);
            linger.set(ValueLayout.JAVA_INT, 0, on ? 1 : 0);
            linger.set(ValueLayout.JAVA_INT, 4, seconds);
            ErrnoException.check("setsockopt(SO_LINGER)",
                    PosixSockets.setsockopt(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_LINGER, linger, (int) linger.byteSize()));
        }
    }

    public static InetSocketAddress localAddress(int fd) throws ErrnoException {
        return address(fd, true);
    }

    public static InetSocketAddress remoteAddress(int fd) throws ErrnoException {
        return address(fd, false);
    }

    private static InetSocketAddress address(int fd, boolean local) throws ErrnoException {
        // NATIVE: confined arena for the sockaddr and its length; the call is synchronous.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(LinuxAbi.SOCKADDR_STORAGE_SIZE, 8);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) LinuxAbi.SOCKADDR_STORAGE_SIZE);
            int rc = local ? PosixSockets.getsockname(fd, sockaddr, length) : PosixSockets.getpeername(fd, sockaddr, length);
            ErrnoException.check(local ? "getsockname" : "getpeername", rc);
            return LinuxSockAddr.read(sockaddr);
        }
    }

    private static String bindHint(int errno) {
        if (errno == LinuxErrno.EADDRINUSE) {
            return "another process (or another server in this one) already listens on that port; stop it or choose another port";
        }
        if (errno == LinuxErrno.EACCES) {
            return "ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port above 1023";
        }
        if (errno == LinuxErrno.EADDRNOTAVAIL) {
            return "the address is not assigned to any interface of this machine";
        }
        return null;
    }
}

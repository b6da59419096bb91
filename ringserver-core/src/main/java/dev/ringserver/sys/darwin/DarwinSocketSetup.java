package dev.ringserver.sys.darwin;

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
 * Socket set-up on macOS, built on {@link PosixSockets} with {@link DarwinAbi}'s constants: listeners,
 * options, addresses, and the flags an accepted socket needs. Darwin has neither {@code SOCK_NONBLOCK}
 * nor {@code SOCK_CLOEXEC} nor {@code accept4}, so descriptors get their flags from {@code fcntl}
 * after they are created: a descriptor created while another thread forks and execs could leak into
 * the child, a race the JDK's own sockets share on macOS. Failures throw {@link ErrnoException}. Only
 * for macOS. Thread-safe.
 */
public final class DarwinSocketSetup {

    private DarwinSocketSetup() {
    }

    /**
     * Opens a non-blocking, close-on-exec TCP listener bound to {@code address} with
     * {@code SO_REUSEADDR} (and {@code SO_REUSEPORT} if asked), {@code SO_NOSIGPIPE} and
     * {@code TCP_NODELAY}. Accepted sockets inherit the last two from the listener: xnu's
     * {@code sonewconn} copies {@code SOF_NOSIGPIPE} and {@code tcp_input} copies {@code TF_NODELAY}.
     * An IPv6 wildcard address also accepts IPv4, as in Java's own sockets.
     */
    public static int openListener(InetSocketAddress address, int backlog, boolean reusePort) throws ErrnoException {
        int fd = ErrnoException.check("socket",
                PosixSockets.socket(DarwinSockAddr.family(address), DarwinAbi.SOCK_STREAM, 0));
        try {
            ErrnoException.check("fcntl(O_NONBLOCK, FD_CLOEXEC)", makeNonBlockingAndCloseOnExec(fd));
            PosixSockets.setIntOption(fd, DarwinAbi.SOL_SOCKET, DarwinAbi.SO_REUSEADDR, 1, "SO_REUSEADDR");
            if (reusePort) {
                PosixSockets.setIntOption(fd, DarwinAbi.SOL_SOCKET, DarwinAbi.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            PosixSockets.setIntOption(fd, DarwinAbi.SOL_SOCKET, DarwinAbi.SO_NOSIGPIPE, 1, "SO_NOSIGPIPE");
            if (address.getAddress() instanceof Inet6Address ip6 && ip6.isAnyLocalAddress()) {
                PosixSockets.setIntOption(fd, DarwinAbi.IPPROTO_IPV6, DarwinAbi.IPV6_V6ONLY, 0, "IPV6_V6ONLY");
            }
            PosixSockets.setIntOption(fd, DarwinAbi.IPPROTO_TCP, DarwinAbi.TCP_NODELAY, 1, "TCP_NODELAY");
            // NATIVE: confined arena for the sockaddr; bind copies it synchronously.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sockaddr = arena.allocate(DarwinAbi.SOCKADDR_STORAGE_SIZE, 8);
                int length = DarwinSockAddr.write(address, sockaddr);
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

    /**
     * Makes a descriptor non-blocking and close-on-exec: {@code F_SETFL O_NONBLOCK} (a fresh socket has
     * no other status flag worth keeping, so no {@code F_GETFL} first) and {@code F_SETFD FD_CLOEXEC}.
     *
     * @return 0, or -errno of the call that failed
     */
    public static int makeNonBlockingAndCloseOnExec(int fd) {
        int rc = PosixFiles.fcntl(fd, DarwinAbi.F_SETFL, DarwinAbi.O_NONBLOCK);
        if (rc < 0) {
            return rc;
        }
        rc = PosixFiles.fcntl(fd, DarwinAbi.F_SETFD, DarwinAbi.FD_CLOEXEC);
        return Math.min(rc, 0);
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
            MemorySegment sockaddr = arena.allocate(DarwinAbi.SOCKADDR_STORAGE_SIZE, 8);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) DarwinAbi.SOCKADDR_STORAGE_SIZE);
            int rc = local ? PosixSockets.getsockname(fd, sockaddr, length) : PosixSockets.getpeername(fd, sockaddr, length);
            ErrnoException.check(local ? "getsockname" : "getpeername", rc);
            return DarwinSockAddr.read(sockaddr);
        }
    }

    private static String bindHint(int errno) {
        if (errno == DarwinErrno.EADDRINUSE) {
            return "another process (or another server in this one) already listens on that port; stop it or choose another port";
        }
        if (errno == DarwinErrno.EACCES) {
            return "binding this port needs privileges this process lacks; choose a port above 1023";
        }
        if (errno == DarwinErrno.EADDRNOTAVAIL) {
            return "the address is not assigned to any interface of this machine";
        }
        return null;
    }
}

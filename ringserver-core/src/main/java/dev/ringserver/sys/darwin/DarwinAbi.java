package dev.ringserver.sys.darwin;

import dev.ringserver.sys.KqueueAbi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * macOS (Darwin) constants and C struct layouts that ringserver's Darwin bindings use, in one place.
 * Values are those of Apple's xnu headers as the macOS SDK installs them ({@code <sys/socket.h>},
 * {@code <netinet/in.h>}, {@code <netinet6/in6.h>}, {@code <netinet/tcp.h>}, {@code <sys/fcntl.h>},
 * {@code <sys/event.h>}); {@code DarwinAbiTest} pins each to its header. Errno values are in
 * {@link DarwinErrno}.
 *
 * <p>Both architectures macOS runs on, arm64 and x86-64, are LP64, and none of these headers
 * distinguishes them, so there is one set of values and layouts. What does differ is how variadic
 * arguments are passed (on the stack on Apple arm64): {@code open} and {@code fcntl} are therefore
 * linked with {@code firstVariadicArg}. Thread-safe: constants only; nothing here calls into libSystem,
 * so the class loads on any OS (its tests run everywhere).
 */
public final class DarwinAbi {

    // <sys/socket.h>
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 30;
    public static final int SOCK_STREAM = 1;
    public static final int SOL_SOCKET = 0xffff;
    public static final int SO_REUSEADDR = 0x0004;
    public static final int SO_KEEPALIVE = 0x0008;
    public static final int SO_REUSEPORT = 0x0200;
    public static final int SO_SNDBUF = 0x1001;
    public static final int SO_RCVBUF = 0x1002;
    public static final int SO_ERROR = 0x1007;
    /**
     * No {@code SIGPIPE} on {@code EPIPE}, per socket: Darwin's long-standing alternative to Linux's
     * per-call {@code MSG_NOSIGNAL}, which older macOS releases lack. Accepted sockets inherit it.
     */
    public static final int SO_NOSIGPIPE = 0x1022;
    /** {@code SO_LINGER} in seconds ({@code SO_LINGER} itself counts clock ticks). */
    public static final int SO_LINGER_SEC = 0x1080;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int SOMAXCONN = 128;

    // <netinet/in.h>, <netinet/tcp.h>, <netinet6/in6.h>
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int TCP_NODELAY = 0x01;
    public static final int IPV6_V6ONLY = 27;

    // <sys/fcntl.h>
    public static final int O_RDONLY = 0x0000;
    public static final int O_WRONLY = 0x0001;
    public static final int O_RDWR = 0x0002;
    public static final int O_NONBLOCK = 0x0004;
    public static final int O_NOFOLLOW = 0x0100;
    public static final int O_CREAT = 0x0200;
    public static final int O_TRUNC = 0x0400;
    public static final int O_DIRECTORY = 0x100000;
    public static final int O_CLOEXEC = 0x1000000;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;

    // <sys/event.h>
    public static final int EVFILT_READ = -1;
    public static final int EVFILT_WRITE = -2;
    public static final int EVFILT_USER = -10;
    public static final int EV_ADD = 0x0001;
    public static final int EV_DELETE = 0x0002;
    public static final int EV_ENABLE = 0x0004;
    public static final int EV_DISABLE = 0x0008;
    public static final int EV_ONESHOT = 0x0010;
    public static final int EV_CLEAR = 0x0020;
    public static final int EV_RECEIPT = 0x0040;
    public static final int EV_ERROR = 0x4000;
    public static final int EV_EOF = 0x8000;
    public static final int NOTE_TRIGGER = 0x01000000;

    /**
     * {@code struct kevent}: {@code uintptr_t ident; int16_t filter; uint16_t flags; uint32_t fflags;
     * intptr_t data; void *udata}, 32 bytes. The header wraps it in {@code #pragma pack(4)}, so the
     * struct is only 4-byte aligned; the fields still fall on their natural offsets, so the packing
     * changes nothing but the alignment, which the 8-byte fields here declare as 4.
     */
    public static final StructLayout KEVENT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withByteAlignment(4).withName("ident"),
            ValueLayout.JAVA_SHORT.withName("filter"),
            ValueLayout.JAVA_SHORT.withName("flags"),
            ValueLayout.JAVA_INT.withName("fflags"),
            ValueLayout.JAVA_LONG.withByteAlignment(4).withName("data"),
            ValueLayout.JAVA_LONG.withByteAlignment(4).withName("udata"));

    /** {@code struct timespec}: {@code __darwin_time_t tv_sec} (long) and {@code long tv_nsec}, 16 bytes. */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"),
            ValueLayout.JAVA_LONG.withName("tv_nsec"));

    /**
     * {@code struct sockaddr_in}: BSD puts a length byte before a one-byte family ({@code sa_family_t}
     * is {@code uint8_t} on Darwin), then the port in network order, the address and 8 bytes of zero.
     */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("sin_len"),
            ValueLayout.JAVA_BYTE.withName("sin_family"),
            ValueLayout.JAVA_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sin_zero"));

    /** {@code struct sockaddr_in6}: length byte, family byte, port, flow info, address, scope id; 28 bytes. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("sin6_len"),
            ValueLayout.JAVA_BYTE.withName("sin6_family"),
            ValueLayout.JAVA_SHORT.withName("sin6_port"),
            ValueLayout.JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("sin6_addr"),
            ValueLayout.JAVA_INT.withName("sin6_scope_id"));

    /** {@code struct sockaddr_storage} ({@code _SS_MAXSIZE}): 128 bytes. */
    public static final long SOCKADDR_STORAGE_SIZE = 128;

    /** {@code struct linger}: two ints. */
    public static final StructLayout LINGER = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("l_onoff"),
            ValueLayout.JAVA_INT.withName("l_linger"));

    /** The kqueue values of macOS's {@code <sys/event.h>}, for the shared kqueue poller. */
    public static final KqueueAbi KQUEUE = new KqueueAbi("macOS <sys/event.h>", EVFILT_READ, EVFILT_WRITE,
            EVFILT_USER, EV_ADD, EV_DELETE, EV_CLEAR, EV_RECEIPT, EV_EOF, EV_ERROR, NOTE_TRIGGER, KEVENT, TIMESPEC);

    private DarwinAbi() {
    }
}

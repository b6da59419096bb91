package dev.ringserver.sys.linux;

import dev.ringserver.sys.Platform;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Linux constants and C struct layouts that ringserver's bindings use, for x86-64 and aarch64, in one
 * place. Values that differ between the two architectures ({@code struct epoll_event}, some
 * {@code O_*} flags) are chosen here from {@link Platform#arch()}; everything else is the
 * asm-generic value shared by both. io_uring's uapi lives in {@link IoUringAbi}; errno values in
 * {@link LinuxErrno}. Thread-safe: constants only.
 */
public final class LinuxAbi {

    private static final boolean X86_64 = Platform.arch() == Platform.Arch.X86_64;

    // <sys/socket.h>, <netinet/in.h>, <netinet/tcp.h>
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int TCP_NODELAY = 1;
    public static final int IPV6_V6ONLY = 26;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;

    /** A socket send's flags: never {@code SIGPIPE}, and {@link #MSG_MORE} when more follows at once. */
    public static int sendFlags(boolean more) {
        return more ? MSG_NOSIGNAL | MSG_MORE : MSG_NOSIGNAL;
    }

    // <fcntl.h>: O_NONBLOCK and O_CLOEXEC are the same on both; O_DIRECTORY/O_NOFOLLOW are not.
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_TRUNC = 0x200;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_DIRECTORY = X86_64 ? 0x10000 : 0x4000;
    public static final int O_NOFOLLOW = X86_64 ? 0x20000 : 0x8000;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;

    // <fcntl.h>: splice(2) flags
    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_NONBLOCK = 2;
    public static final int SPLICE_F_MORE = 4;

    // <sys/mman.h>
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;

    // <sys/eventfd.h>
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    // <sys/resource.h>
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;

    // <sys/epoll.h>
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLET = 1 << 31;

    /**
     * {@code struct epoll_event}: x86-64 declares it packed (12 bytes, data at offset 4); aarch64 uses
     * natural alignment (16 bytes, data at offset 8).
     */
    public static final StructLayout EPOLL_EVENT = X86_64
            ? MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("events"),
                    ValueLayout.JAVA_LONG_UNALIGNED.withName("data"))
            : MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("events"),
                    MemoryLayout.paddingLayout(4),
                    ValueLayout.JAVA_LONG.withName("data"));
    public static final long EPOLL_EVENT_SIZE = EPOLL_EVENT.byteSize();
    public static final long EPOLL_EVENT_EVENTS = EPOLL_EVENT.byteOffset(groupElement("events"));
    public static final long EPOLL_EVENT_DATA = EPOLL_EVENT.byteOffset(groupElement("data"));

    /** {@code struct sockaddr_in}: 16 bytes; port and address in network byte order. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin_family"),
            ValueLayout.JAVA_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.paddingLayout(8));

    /** {@code struct sockaddr_in6}: 28 bytes. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin6_family"),
            ValueLayout.JAVA_SHORT.withName("sin6_port"),
            ValueLayout.JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("sin6_addr"),
            ValueLayout.JAVA_INT.withName("sin6_scope_id"));

    /** {@code struct sockaddr_storage} is 128 bytes, enough for any address family. */
    public static final long SOCKADDR_STORAGE_SIZE = 128;

    /** {@code struct iovec}: a base pointer and a length, 16 bytes. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("iov_base"),
            ValueLayout.JAVA_LONG.withName("iov_len"));
    public static final long IOVEC_SIZE = IOVEC.byteSize();
    public static final long IOVEC_BASE = IOVEC.byteOffset(groupElement("iov_base"));
    public static final long IOVEC_LEN = IOVEC.byteOffset(groupElement("iov_len"));
    /** The kernel's {@code UIO_MAXIOV}: the most iovecs one {@code writev} accepts. */
    public static final int IOV_MAX = 1024;

    /** {@code struct linger}: two ints. */
    public static final StructLayout LINGER = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("l_onoff"),
            ValueLayout.JAVA_INT.withName("l_linger"));

    /** {@code struct rlimit}: soft and hard limits as {@code rlim_t} (64-bit). */
    public static final StructLayout RLIMIT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("rlim_cur"),
            ValueLayout.JAVA_LONG.withName("rlim_max"));
    /** {@code RLIM_INFINITY}. */
    public static final long RLIM_INFINITY = -1L;

    /** {@code struct __kernel_timespec}: 64-bit seconds and nanoseconds. */
    public static final StructLayout KERNEL_TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"),
            ValueLayout.JAVA_LONG.withName("tv_nsec"));

    private LinuxAbi() {
    }
}

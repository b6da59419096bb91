package dev.ringserver.sys.darwin;

import dev.ringserver.sys.KqueueAbi;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins every {@link DarwinAbi} value to the macOS SDK header that defines it (Apple's xnu sources,
 * {@code bsd/...}, as installed under {@code /usr/include}). These are constant tables, not live calls,
 * so they run on every OS; the values hold for arm64 and x86-64 alike (both LP64, no header
 * distinguishes them).
 */
class DarwinAbiTest {

    @Test
    void socketConstantsMatchSysSocketH() {
        // <sys/socket.h>
        assertThat(DarwinAbi.AF_INET).isEqualTo(2);
        assertThat(DarwinAbi.AF_INET6).isEqualTo(30);
        assertThat(DarwinAbi.SOCK_STREAM).isEqualTo(1);
        assertThat(DarwinAbi.SOL_SOCKET).isEqualTo(0xffff);
        assertThat(DarwinAbi.SO_REUSEADDR).isEqualTo(0x0004);
        assertThat(DarwinAbi.SO_KEEPALIVE).isEqualTo(0x0008);
        assertThat(DarwinAbi.SO_REUSEPORT).isEqualTo(0x0200);
        assertThat(DarwinAbi.SO_SNDBUF).isEqualTo(0x1001);
        assertThat(DarwinAbi.SO_RCVBUF).isEqualTo(0x1002);
        assertThat(DarwinAbi.SO_ERROR).isEqualTo(0x1007);
        assertThat(DarwinAbi.SO_NOSIGPIPE).isEqualTo(0x1022);
        assertThat(DarwinAbi.SO_LINGER_SEC).isEqualTo(0x1080);
        assertThat(DarwinAbi.SHUT_RD).isEqualTo(0);
        assertThat(DarwinAbi.SHUT_WR).isEqualTo(1);
        assertThat(DarwinAbi.SHUT_RDWR).isEqualTo(2);
        assertThat(DarwinAbi.SOMAXCONN).isEqualTo(128);
    }

    @Test
    void protocolConstantsMatchNetinetHeaders() {
        // <netinet/in.h>
        assertThat(DarwinAbi.IPPROTO_TCP).isEqualTo(6);
        assertThat(DarwinAbi.IPPROTO_IPV6).isEqualTo(41);
        // <netinet/tcp.h>
        assertThat(DarwinAbi.TCP_NODELAY).isEqualTo(0x01);
        // <netinet6/in6.h>, included by <netinet/in.h>
        assertThat(DarwinAbi.IPV6_V6ONLY).isEqualTo(27);
    }

    @Test
    void fileConstantsMatchSysFcntlH() {
        // <sys/fcntl.h>
        assertThat(DarwinAbi.O_RDONLY).isEqualTo(0x0000);
        assertThat(DarwinAbi.O_WRONLY).isEqualTo(0x0001);
        assertThat(DarwinAbi.O_RDWR).isEqualTo(0x0002);
        assertThat(DarwinAbi.O_NONBLOCK).isEqualTo(0x0004);
        assertThat(DarwinAbi.O_NOFOLLOW).isEqualTo(0x0100);
        assertThat(DarwinAbi.O_CREAT).isEqualTo(0x0200);
        assertThat(DarwinAbi.O_TRUNC).isEqualTo(0x0400);
        assertThat(DarwinAbi.O_DIRECTORY).isEqualTo(0x100000);
        assertThat(DarwinAbi.O_CLOEXEC).isEqualTo(0x1000000);
        assertThat(DarwinAbi.F_GETFD).isEqualTo(1);
        assertThat(DarwinAbi.F_SETFD).isEqualTo(2);
        assertThat(DarwinAbi.F_GETFL).isEqualTo(3);
        assertThat(DarwinAbi.F_SETFL).isEqualTo(4);
        assertThat(DarwinAbi.FD_CLOEXEC).isEqualTo(1);
    }

    @Test
    void kqueueConstantsMatchSysEventH() {
        // <sys/event.h>
        assertThat(DarwinAbi.EVFILT_READ).isEqualTo(-1);
        assertThat(DarwinAbi.EVFILT_WRITE).isEqualTo(-2);
        assertThat(DarwinAbi.EVFILT_USER).isEqualTo(-10);
        assertThat(DarwinAbi.EV_ADD).isEqualTo(0x0001);
        assertThat(DarwinAbi.EV_DELETE).isEqualTo(0x0002);
        assertThat(DarwinAbi.EV_ENABLE).isEqualTo(0x0004);
        assertThat(DarwinAbi.EV_DISABLE).isEqualTo(0x0008);
        assertThat(DarwinAbi.EV_ONESHOT).isEqualTo(0x0010);
        assertThat(DarwinAbi.EV_CLEAR).isEqualTo(0x0020);
        assertThat(DarwinAbi.EV_RECEIPT).isEqualTo(0x0040);
        assertThat(DarwinAbi.EV_ERROR).isEqualTo(0x4000);
        assertThat(DarwinAbi.EV_EOF).isEqualTo(0x8000);
        assertThat(DarwinAbi.NOTE_TRIGGER).isEqualTo(0x01000000);
    }

    @Test
    void keventIs32BytesInFieldOrder() {
        // struct kevent { uintptr_t ident; int16_t filter; uint16_t flags; uint32_t fflags;
        //                 intptr_t data; void *udata; } under #pragma pack(4)
        assertThat(DarwinAbi.KEVENT.byteSize()).isEqualTo(32);
        assertThat(DarwinAbi.KEVENT.byteAlignment()).isEqualTo(4);
        assertThat(DarwinAbi.KEVENT.byteOffset(groupElement("ident"))).isZero();
        assertThat(DarwinAbi.KEVENT.byteOffset(groupElement("filter"))).isEqualTo(8);
        assertThat(DarwinAbi.KEVENT.byteOffset(groupElement("flags"))).isEqualTo(10);
        assertThat(DarwinAbi.KEVENT.byteOffset(groupElement("fflags"))).isEqualTo(12);
        assertThat(DarwinAbi.KEVENT.byteOffset(groupElement("data"))).isEqualTo(16);
        assertThat(DarwinAbi.KEVENT.byteOffset(groupElement("udata"))).isEqualTo(24);
    }

    @Test
    void timespecIsTwoLongs() {
        // <sys/_types/_timespec.h>: __darwin_time_t (long) tv_sec, long tv_nsec
        assertThat(DarwinAbi.TIMESPEC.byteSize()).isEqualTo(16);
        assertThat(DarwinAbi.TIMESPEC.byteOffset(groupElement("tv_nsec"))).isEqualTo(8);
    }

    @Test
    void sockaddrsStartWithTheirLength() {
        // <netinet/in.h>: struct sockaddr_in { __uint8_t sin_len; sa_family_t sin_family (__uint8_t);
        //                 in_port_t sin_port; struct in_addr sin_addr; char sin_zero[8]; }
        assertThat(DarwinAbi.SOCKADDR_IN.byteSize()).isEqualTo(16);
        assertThat(DarwinAbi.SOCKADDR_IN.byteOffset(groupElement("sin_family"))).isEqualTo(1);
        assertThat(DarwinAbi.SOCKADDR_IN.byteOffset(groupElement("sin_port"))).isEqualTo(2);
        assertThat(DarwinAbi.SOCKADDR_IN.byteOffset(groupElement("sin_addr"))).isEqualTo(4);
        // <netinet6/in6.h>: struct sockaddr_in6 { __uint8_t sin6_len; sa_family_t sin6_family;
        //                   in_port_t sin6_port; __uint32_t sin6_flowinfo; struct in6_addr sin6_addr;
        //                   __uint32_t sin6_scope_id; }
        assertThat(DarwinAbi.SOCKADDR_IN6.byteSize()).isEqualTo(28);
        assertThat(DarwinAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_family"))).isEqualTo(1);
        assertThat(DarwinAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_port"))).isEqualTo(2);
        assertThat(DarwinAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_flowinfo"))).isEqualTo(4);
        assertThat(DarwinAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_addr"))).isEqualTo(8);
        assertThat(DarwinAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_scope_id"))).isEqualTo(24);
        // <sys/socket.h>: _SS_MAXSIZE
        assertThat(DarwinAbi.SOCKADDR_STORAGE_SIZE).isEqualTo(128);
        assertThat(DarwinAbi.LINGER.byteSize()).isEqualTo(8);
    }

    @Test
    void kqueueAbiCarriesTheDarwinValues() {
        KqueueAbi abi = DarwinAbi.KQUEUE;

        assertThat(abi.filterRead()).isEqualTo(-1);
        assertThat(abi.filterWrite()).isEqualTo(-2);
        assertThat(abi.filterUser()).isEqualTo(-10);
        assertThat(abi.evAdd()).isEqualTo(0x0001);
        assertThat(abi.evDelete()).isEqualTo(0x0002);
        assertThat(abi.evClear()).isEqualTo(0x0020);
        assertThat(abi.evReceipt()).isEqualTo(0x0040);
        assertThat(abi.evEof()).isEqualTo(0x8000);
        assertThat(abi.evError()).isEqualTo(0x4000);
        assertThat(abi.noteTrigger()).isEqualTo(0x01000000);
        assertThat(abi.keventSize()).isEqualTo(32);
        assertThat(abi.offset("data")).isEqualTo(16);
        assertThat(abi.timespec()).isSameAs(DarwinAbi.TIMESPEC);
    }
}

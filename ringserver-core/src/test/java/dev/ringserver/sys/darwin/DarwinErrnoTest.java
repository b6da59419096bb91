package dev.ringserver.sys.darwin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins every {@link DarwinErrno} value to macOS's {@code <sys/errno.h>} (xnu {@code bsd/sys/errno.h}),
 * on every OS: BSD numbering departs from Linux's from {@code EAGAIN} (35) on.
 */
class DarwinErrnoTest {

    @Test
    void numbersMatchSysErrnoH() {
        assertThat(DarwinErrno.EPERM).isEqualTo(1);
        assertThat(DarwinErrno.ENOENT).isEqualTo(2);
        assertThat(DarwinErrno.EINTR).isEqualTo(4);
        assertThat(DarwinErrno.EIO).isEqualTo(5);
        assertThat(DarwinErrno.EBADF).isEqualTo(9);
        assertThat(DarwinErrno.ENOMEM).isEqualTo(12);
        assertThat(DarwinErrno.EACCES).isEqualTo(13);
        assertThat(DarwinErrno.EFAULT).isEqualTo(14);
        assertThat(DarwinErrno.EBUSY).isEqualTo(16);
        assertThat(DarwinErrno.EEXIST).isEqualTo(17);
        assertThat(DarwinErrno.EINVAL).isEqualTo(22);
        assertThat(DarwinErrno.ENFILE).isEqualTo(23);
        assertThat(DarwinErrno.EMFILE).isEqualTo(24);
        assertThat(DarwinErrno.ENOSPC).isEqualTo(28);
        assertThat(DarwinErrno.ESPIPE).isEqualTo(29);
        assertThat(DarwinErrno.EPIPE).isEqualTo(32);
        assertThat(DarwinErrno.EAGAIN).isEqualTo(35);
        assertThat(DarwinErrno.EINPROGRESS).isEqualTo(36);
        assertThat(DarwinErrno.EALREADY).isEqualTo(37);
        assertThat(DarwinErrno.ENOTSOCK).isEqualTo(38);
        assertThat(DarwinErrno.ENOPROTOOPT).isEqualTo(42);
        assertThat(DarwinErrno.EPROTONOSUPPORT).isEqualTo(43);
        assertThat(DarwinErrno.ENOTSUP).isEqualTo(45);
        assertThat(DarwinErrno.EAFNOSUPPORT).isEqualTo(47);
        assertThat(DarwinErrno.EADDRINUSE).isEqualTo(48);
        assertThat(DarwinErrno.EADDRNOTAVAIL).isEqualTo(49);
        assertThat(DarwinErrno.ENETDOWN).isEqualTo(50);
        assertThat(DarwinErrno.ENETUNREACH).isEqualTo(51);
        assertThat(DarwinErrno.ECONNABORTED).isEqualTo(53);
        assertThat(DarwinErrno.ECONNRESET).isEqualTo(54);
        assertThat(DarwinErrno.ENOBUFS).isEqualTo(55);
        assertThat(DarwinErrno.EISCONN).isEqualTo(56);
        assertThat(DarwinErrno.ENOTCONN).isEqualTo(57);
        assertThat(DarwinErrno.ESHUTDOWN).isEqualTo(58);
        assertThat(DarwinErrno.ETIMEDOUT).isEqualTo(60);
        assertThat(DarwinErrno.ECONNREFUSED).isEqualTo(61);
        assertThat(DarwinErrno.EHOSTUNREACH).isEqualTo(65);
        assertThat(DarwinErrno.ENOSYS).isEqualTo(78);
        assertThat(DarwinErrno.EOVERFLOW).isEqualTo(84);
        assertThat(DarwinErrno.ECANCELED).isEqualTo(89);
        assertThat(DarwinErrno.ETIME).isEqualTo(101);
        // __DARWIN_UNIX03 (every 64-bit program): EOPNOTSUPP is 102, distinct from ENOTSUP (45).
        assertThat(DarwinErrno.EOPNOTSUPP).isEqualTo(102);
    }

    @Test
    void namesAndDescribesKnownErrnosLikeTheHeader() {
        assertThat(DarwinErrno.name(35)).isEqualTo("EAGAIN");
        assertThat(DarwinErrno.message(35)).isEqualTo("Resource temporarily unavailable");
        assertThat(DarwinErrno.name(54)).isEqualTo("ECONNRESET");
        assertThat(DarwinErrno.message(54)).isEqualTo("Connection reset by peer");
        assertThat(DarwinErrno.name(48)).isEqualTo("EADDRINUSE");
        assertThat(DarwinErrno.message(48)).isEqualTo("Address already in use");
        assertThat(DarwinErrno.name(49)).isEqualTo("EADDRNOTAVAIL");
        assertThat(DarwinErrno.message(49)).isEqualTo("Can't assign requested address");
        assertThat(DarwinErrno.name(89)).isEqualTo("ECANCELED");
        assertThat(DarwinErrno.name(102)).isEqualTo("EOPNOTSUPP");
    }

    @Test
    void everyNamedValueHasADescription() {
        for (int errno = 1; errno <= 106; errno++) {
            if (!DarwinErrno.name(errno).startsWith("errno ")) {
                assertThat(DarwinErrno.message(errno)).as("description of %s", DarwinErrno.name(errno))
                        .doesNotStartWith("Unknown error");
            }
        }
    }

    @Test
    void namesUnknownErrnosByNumber() {
        assertThat(DarwinErrno.name(0)).isEqualTo("errno 0");
        assertThat(DarwinErrno.name(3)).isEqualTo("errno 3");
        assertThat(DarwinErrno.name(500)).isEqualTo("errno 500");
        assertThat(DarwinErrno.message(500)).isEqualTo("Unknown error: 500");
    }
}

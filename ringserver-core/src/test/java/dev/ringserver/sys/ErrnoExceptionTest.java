package dev.ringserver.sys;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrnoExceptionTest {

    @Test
    void messageNamesCallErrnoAndDescription() {
        ErrnoException e = new ErrnoException("bind(127.0.0.1:8080)", Errno.EADDRINUSE);

        assertThat(e).hasMessage("bind(127.0.0.1:8080) failed: EADDRINUSE (Address already in use)");
    }

    @Test
    void appendsHintAfterColon() {
        ErrnoException e = new ErrnoException("socket", Errno.EMFILE, "raise ulimit -n");

        assertThat(e).hasMessage("socket failed: EMFILE (Too many open files): raise ulimit -n");
    }

    @Test
    void nullHintLeavesMessageUnchanged() {
        ErrnoException e = new ErrnoException("close", Errno.EBADF, null);

        assertThat(e).hasMessage("close failed: EBADF (Bad file descriptor)");
    }

    @Test
    void exposesCallErrnoAndName() {
        ErrnoException e = new ErrnoException("io_uring_setup", Errno.ENOMEM);

        assertThat(e.call()).isEqualTo("io_uring_setup");
        assertThat(e.errno()).isEqualTo(12);
        assertThat(e.errnoName()).isEqualTo("ENOMEM");
    }

    @Test
    void unknownErrnoStillFormats() {
        ErrnoException e = new ErrnoException("ioctl", 999);

        assertThat(e).hasMessage("ioctl failed: errno 999 (Unknown error 999)");
    }

    @Test
    void checkIntReturnsNonNegativeResults() throws ErrnoException {
        assertThat(ErrnoException.check("socket", 0)).isZero();
        assertThat(ErrnoException.check("socket", 42)).isEqualTo(42);
        assertThat(ErrnoException.check("socket", Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void checkIntThrowsForNegativeResultWithNegatedErrno() {
        assertThatThrownBy(() -> ErrnoException.check("accept4", -Errno.EAGAIN))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EAGAIN);
                    assertThat(e.call()).isEqualTo("accept4");
                })
                .hasMessage("accept4 failed: EAGAIN (Resource temporarily unavailable)");
    }

    @Test
    void checkLongReturnsNonNegativeResults() throws ErrnoException {
        assertThat(ErrnoException.check("read", 0L)).isZero();
        assertThat(ErrnoException.check("read", 5_000_000_000L)).isEqualTo(5_000_000_000L);
    }

    @Test
    void checkLongThrowsForNegativeResultWithNegatedErrno() {
        assertThatThrownBy(() -> ErrnoException.check("sendfile", (long) -Errno.EPIPE))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPIPE))
                .hasMessageStartingWith("sendfile failed: EPIPE");
    }
}

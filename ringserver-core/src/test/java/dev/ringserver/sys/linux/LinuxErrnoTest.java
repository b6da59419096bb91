package dev.ringserver.sys.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinuxErrnoTest {

    @Test
    void numbersMatchTheAsmGenericTable() {
        assertThat(LinuxErrno.EPERM).isEqualTo(1);
        assertThat(LinuxErrno.EBADF).isEqualTo(9);
        assertThat(LinuxErrno.EAGAIN).isEqualTo(11);
        assertThat(LinuxErrno.EMFILE).isEqualTo(24);
        assertThat(LinuxErrno.ETIME).isEqualTo(62);
        assertThat(LinuxErrno.EADDRINUSE).isEqualTo(98);
        assertThat(LinuxErrno.ECANCELED).isEqualTo(125);
    }

    @Test
    void namesKnownErrnos() {
        assertThat(LinuxErrno.name(1)).isEqualTo("EPERM");
        assertThat(LinuxErrno.name(11)).isEqualTo("EAGAIN");
        assertThat(LinuxErrno.name(24)).isEqualTo("EMFILE");
        assertThat(LinuxErrno.name(98)).isEqualTo("EADDRINUSE");
        assertThat(LinuxErrno.name(125)).isEqualTo("ECANCELED");
    }

    @Test
    void describesKnownErrnosLikeTheCLibrary() {
        assertThat(LinuxErrno.message(1)).isEqualTo("Operation not permitted");
        assertThat(LinuxErrno.message(11)).isEqualTo("Resource temporarily unavailable");
        assertThat(LinuxErrno.message(24)).isEqualTo("Too many open files");
        assertThat(LinuxErrno.message(98)).isEqualTo("Address already in use");
        assertThat(LinuxErrno.message(125)).isEqualTo("Operation canceled");
    }

    @Test
    void namesUnknownErrnosByNumber() {
        assertThat(LinuxErrno.name(0)).isEqualTo("errno 0");
        assertThat(LinuxErrno.name(999)).isEqualTo("errno 999");
        assertThat(LinuxErrno.name(-3)).isEqualTo("errno -3");
    }

    @Test
    void describesUnknownErrnosAsUnknownError() {
        assertThat(LinuxErrno.message(0)).isEqualTo("Unknown error 0");
        assertThat(LinuxErrno.message(999)).isEqualTo("Unknown error 999");
        assertThat(LinuxErrno.message(-3)).isEqualTo("Unknown error -3");
    }

    @Test
    void treatsUndefinedNumbersInsideTheTableAsUnknown() {
        assertThat(LinuxErrno.name(3)).isEqualTo("errno 3");
        assertThat(LinuxErrno.message(3)).isEqualTo("Unknown error 3");
    }
}

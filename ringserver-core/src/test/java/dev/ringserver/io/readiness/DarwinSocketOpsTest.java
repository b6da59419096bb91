package dev.ringserver.io.readiness;

import dev.ringserver.sys.darwin.DarwinErrno;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How Darwin's {@code sendfile} result becomes a completion: the arithmetic runs on every OS; the call
 * itself is exercised by the kqueue conformance suites on macOS.
 */
class DarwinSocketOpsTest {

    @Test
    void partialProgressBeforeEagainIsTheResult() {
        assertThat(DarwinSocketOps.sendfileResult(-DarwinErrno.EAGAIN, 4096)).isEqualTo(4096);
    }

    @Test
    void eagainWithNothingSentStaysEagain() {
        assertThat(DarwinSocketOps.sendfileResult(-DarwinErrno.EAGAIN, 0)).isEqualTo(-DarwinErrno.EAGAIN);
    }

    @Test
    void interruptedAfterSendingReportsTheBytes() {
        assertThat(DarwinSocketOps.sendfileResult(-DarwinErrno.EINTR, 17)).isEqualTo(17);
    }

    @Test
    void successReportsTheBytesAndZeroAtEndOfFile() {
        assertThat(DarwinSocketOps.sendfileResult(0, 65536)).isEqualTo(65536);
        assertThat(DarwinSocketOps.sendfileResult(0, 0)).isZero();
    }

    @Test
    void anErrorAfterProgressReportsTheProgressFirst() {
        assertThat(DarwinSocketOps.sendfileResult(-DarwinErrno.EPIPE, 100)).isEqualTo(100);
        assertThat(DarwinSocketOps.sendfileResult(-DarwinErrno.EPIPE, 0)).isEqualTo(-DarwinErrno.EPIPE);
    }
}

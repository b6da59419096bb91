package dev.ringserver.sys.linux;

import dev.ringserver.sys.ErrnoException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LinuxLimitsTest {

    @Test
    void openFileLimitIsPositiveAndWithinHardLimit() throws ErrnoException {
        LinuxLimits.Limit limit = LinuxLimits.get(LinuxAbi.RLIMIT_NOFILE);

        assertThat(limit.soft()).isPositive();
        if (limit.hard() != LinuxAbi.RLIM_INFINITY) {
            assertThat(limit.soft()).isLessThanOrEqualTo(limit.hard());
        }
    }

    @Test
    void settingTheCurrentLimitKeepsIt() throws ErrnoException {
        LinuxLimits.Limit before = LinuxLimits.get(LinuxAbi.RLIMIT_NOFILE);

        LinuxLimits.set(LinuxAbi.RLIMIT_NOFILE, before);

        assertThat(LinuxLimits.get(LinuxAbi.RLIMIT_NOFILE)).isEqualTo(before);
    }

    @Test
    void rejectsSoftLimitAboveHardLimit() throws ErrnoException {
        LinuxLimits.Limit current = LinuxLimits.get(LinuxAbi.RLIMIT_NOFILE);
        assumeTrue(current.hard() != LinuxAbi.RLIM_INFINITY, "no finite hard limit to exceed");
        LinuxLimits.Limit invalid = new LinuxLimits.Limit(current.hard() + 1, current.hard());

        assertThatThrownBy(() -> LinuxLimits.set(LinuxAbi.RLIMIT_NOFILE, invalid))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(LinuxErrno.EINVAL))
                .hasMessageStartingWith("setrlimit failed: EINVAL");
        assertThat(LinuxLimits.get(LinuxAbi.RLIMIT_NOFILE)).isEqualTo(current);
    }

    @Test
    void unknownResourceIsRejected() {
        assertThatThrownBy(() -> LinuxLimits.get(9999))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(LinuxErrno.EINVAL))
                .hasMessageStartingWith("getrlimit failed");
    }
}

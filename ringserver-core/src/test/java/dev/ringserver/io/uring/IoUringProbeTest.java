package dev.ringserver.io.uring;

import dev.ringserver.io.Availability;
import dev.ringserver.sys.Errno;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class IoUringProbeTest {

    @Test
    void epermWithSysctlTwoExplainsGlobalSwitch() {
        String message = IoUringProbe.explainSetupFailure(Errno.EPERM, "2", -1);

        assertThat(message).startsWith("io_uring_setup failed with EPERM: kernel.io_uring_disabled=2")
                .contains("sysctl -w kernel.io_uring_disabled=0")
                .contains("epoll");
    }

    @Test
    void epermWithSysctlOneExplainsGroupRestriction() {
        String message = IoUringProbe.explainSetupFailure(Errno.EPERM, "1", -1);

        assertThat(message).startsWith("io_uring_setup failed with EPERM: kernel.io_uring_disabled=1")
                .contains("kernel.io_uring_group")
                .contains("epoll");
    }

    @Test
    void epermWithSysctlZeroBlamesSeccomp() {
        String message = IoUringProbe.explainSetupFailure(Errno.EPERM, "0", -1);

        assertThat(message).startsWith("io_uring_setup failed with EPERM: ")
                .contains("seccomp")
                .contains("epoll");
    }

    @Test
    void epermWithoutSysctlBlamesSeccomp() {
        String message = IoUringProbe.explainSetupFailure(Errno.EPERM, null, -1);

        assertThat(message).startsWith("io_uring_setup failed with EPERM: ")
                .contains("seccomp")
                .contains("epoll")
                .doesNotContain("io_uring_disabled");
    }

    @Test
    void enosysExplainsMissingKernelSupport() {
        String message = IoUringProbe.explainSetupFailure(Errno.ENOSYS, null, -1);

        assertThat(message).startsWith("io_uring_setup failed with ENOSYS: ")
                .contains("CONFIG_IO_URING")
                .contains("epoll");
    }

    @Test
    void enomemNamesMemlockLimitWithCurrentValue() {
        String message = IoUringProbe.explainSetupFailure(Errno.ENOMEM, "0", 64);

        assertThat(message).startsWith("io_uring_setup failed with ENOMEM: ")
                .contains("RLIMIT_MEMLOCK")
                .contains("(now 64 KiB)")
                .contains("ulimit -l");
    }

    @Test
    void enomemWithoutKnownLimitOmitsValue() {
        String message = IoUringProbe.explainSetupFailure(Errno.ENOMEM, "0", -1);

        assertThat(message).startsWith("io_uring_setup failed with ENOMEM: ")
                .contains("RLIMIT_MEMLOCK")
                .doesNotContain("(now");
    }

    @Test
    void einvalNamesMinimumKernel() {
        String message = IoUringProbe.explainSetupFailure(Errno.EINVAL, "0", 64);

        assertThat(message).startsWith("io_uring_setup failed with EINVAL: ").contains("5.19");
    }

    @Test
    void otherErrnosFallBackToTheCDescription() {
        String message = IoUringProbe.explainSetupFailure(Errno.EMFILE, "0", 64);

        assertThat(message).isEqualTo("io_uring_setup failed with EMFILE: Too many open files; use epoll");
    }

    @Test
    void everyExplanationStartsWithTheErrnoName() {
        int[] errnos = {Errno.EPERM, Errno.ENOSYS, Errno.ENOMEM, Errno.EINVAL, Errno.EMFILE, 999};
        for (int errno : errnos) {
            for (String sysctl : Arrays.asList(null, "0", "1", "2")) {
                assertThat(IoUringProbe.explainSetupFailure(errno, sysctl, 64))
                        .startsWith("io_uring_setup failed with " + Errno.name(errno) + ": ");
            }
        }
    }

    @Test
    void availabilityIsConsistentWithProbedFeatures() {
        Availability availability = IoUringProvider.INSTANCE.availability();

        if (availability.available()) {
            assertThat(IoUringProvider.INSTANCE.probedFeatures()).isNotEmpty();
            assertThat(availability.features().split(","))
                    .containsExactlyInAnyOrderElementsOf(IoUringProvider.INSTANCE.probedFeatures());
            assertThat(availability.reason()).isEqualTo("available");
        } else {
            assertThat(availability.reason()).isNotBlank();
            assertThat(availability.features()).isEmpty();
            assertThat(IoUringProvider.INSTANCE.probedFeatures()).isEmpty();
        }
    }

    @Test
    void availabilityIsProbedOnce() {
        assertThat(IoUringProvider.INSTANCE.probedFeatures()).isSameAs(IoUringProvider.INSTANCE.probedFeatures());
        assertThat(IoUringProvider.INSTANCE.availability().features())
                .isEqualTo(IoUringProvider.INSTANCE.availability().features());
    }
}

package dev.ringserver.spring.autoconfigure;

import dev.ringserver.io.Availability;
import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.io.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * What a user reads when the configured backend cannot run or does not exist: the analyzers' output
 * for constructed failures, and the report of a real start-up that fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackendFailureAnalyzerTests {

    private static final String SECCOMP = "io_uring_setup failed with EPERM: the container's seccomp profile blocks "
            + "io_uring (the default since Docker 25 and containerd 1.7); run with --security-opt seccomp=unconfined "
            + "or a profile that allows io_uring_setup, io_uring_enter and io_uring_register, or use epoll";

    @Test
    void seccompNamesTheCauseAndBothFixes() {
        MockEnvironment environment = new MockEnvironment().withProperty("ringserver.backend", "io_uring");
        FailureAnalysis analysis = new BackendUnavailableFailureAnalyzer(environment)
                .analyze(new IllegalStateException("start failed", new BackendUnavailableException("io_uring", SECCOMP)));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .contains("backend 'io_uring', which was chosen explicitly")
                .contains("io_uring_setup failed with EPERM: the container's seccomp profile blocks io_uring")
                .contains("Property: ringserver.backend")
                .contains("Value: \"io_uring\"");
        assertThat(analysis.getAction())
                .contains("ringserver.backend=auto")
                .contains("name one that can run here: ").contains("nio")
                .contains("--security-opt seccomp=");
    }

    @Test
    void theSysctlNamesTheSysctl() {
        String reason = "io_uring_setup failed with EPERM: kernel.io_uring_disabled=2 turns io_uring off for every "
                + "process; set it to 0 (sysctl -w kernel.io_uring_disabled=0) or use epoll";
        FailureAnalysis analysis = analyze(new BackendUnavailableException("io_uring", reason));
        assertThat(analysis.getAction()).contains("sysctl -w kernel.io_uring_disabled=0")
                .contains("ringserver.backend=auto");
    }

    @Test
    void theMemlockLimitNamesTheLimit() {
        String reason = "io_uring_setup failed with ENOMEM: the locked-memory limit RLIMIT_MEMLOCK (now 64 KiB) is too "
                + "low for the rings; raise it (ulimit -l, LimitMEMLOCK= in systemd, --ulimit memlock= in Docker) or "
                + "use epoll";
        assertThat(analyze(new BackendUnavailableException("io_uring", reason)).getAction()).contains("ulimit -l");
    }

    @Test
    void aBackendOfAnotherOperatingSystemOffersOnlyTheOtherBackends() {
        FailureAnalysis analysis = analyze(new BackendUnavailableException("epoll",
                "epoll needs Linux on x86-64 or aarch64; this is mac/aarch64"));
        assertThat(analysis.getDescription()).contains("epoll needs Linux");
        assertThat(analysis.getAction()).startsWith("Choose a backend that can run here:")
                .contains("ringserver.backend=auto").doesNotContain("seccomp").doesNotContain("sysctl");
    }

    @Test
    void withoutTheProperty_theDescriptionHasNoOrigin() {
        FailureAnalysis analysis = new BackendUnavailableFailureAnalyzer(new StandardEnvironment())
                .analyze(new BackendUnavailableException("io_uring", SECCOMP));
        assertThat(analysis.getDescription()).doesNotContain("Property:");
        assertThat(new BackendUnavailableFailureAnalyzer(null).analyze(new BackendUnavailableException("io_uring",
                SECCOMP))).isNotNull();
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        MockEnvironment environment = new MockEnvironment().withProperty("ringserver.backend", "uring");
        FailureAnalysis analysis = new UnknownBackendFailureAnalyzer(environment)
                .analyze(new IllegalStateException(new UnknownBackendException("uring", RingBackends.NAMES)));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("'uring' is not a ringserver backend")
                .contains("Value: \"uring\"");
        assertThat(analysis.getAction()).contains("auto, io_uring, epoll, kqueue, nio").contains("nio");
    }

    @Test
    void startingWithKqueueWhereItCannotRunFailsWithTheProbesReason(CapturedOutput output) {
        Availability kqueue = Backends.byName("kqueue").availability();
        assumeFalse(kqueue.available(), "kqueue runs on this machine");
        assertThatThrownBy(() -> start("--ringserver.backend=kqueue"))
                .hasRootCauseInstanceOf(BackendUnavailableException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("ringserver cannot start with the backend 'kqueue'")
                .contains(kqueue.reason())
                .contains("Property: ringserver.backend")
                .contains("from property source \"commandLineArgs\"")
                .contains("Set ringserver.backend=auto");
    }

    @Test
    void aMissingLibkqueueNamesThePackage() {
        String reason = "the kqueue backend runs on Linux over the libkqueue library, and libkqueue.so.0 is not "
                + "installed (or not on the dynamic linker's path): install it (on Ubuntu apt-get install libkqueue0; "
                + "Debian no longer packages it, but Ubuntu's libkqueue0 .deb installs there), or use epoll";
        FailureAnalysis analysis = analyze(new BackendUnavailableException("kqueue", reason));
        assertThat(analysis.getDescription()).contains("libkqueue.so.0 is not installed");
        assertThat(analysis.getAction()).contains("make kqueue available")
                .contains("apt-get install libkqueue0").contains("LD_LIBRARY_PATH")
                .contains("ringserver.backend=auto");
    }

    @Test
    void startingWithAnUnknownBackendFailsWithTheAnalysis(CapturedOutput output) {
        assertThatThrownBy(() -> start("--ringserver.backend=uring"))
                .hasRootCauseInstanceOf(UnknownBackendException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("'uring' is not a ringserver backend")
                .contains("Set ringserver.backend to one of auto, io_uring, epoll, kqueue, nio");
    }

    @Test
    void startingWithIoUringWhereItIsBlockedFailsWithTheProbesReason(CapturedOutput output) {
        assumeFalse(Backends.byName("io_uring").availability().available(), "io_uring works on this machine");
        String reason = Backends.byName("io_uring").availability().reason();
        assertThatThrownBy(() -> start("--ringserver.backend=io_uring"))
                .hasRootCauseInstanceOf(BackendUnavailableException.class);
        assertThat(output).contains("APPLICATION FAILED TO START").contains(reason);
    }

    @Test
    void anInvalidValueIsReportedWithThePropertyNameAndOrigin(CapturedOutput output) {
        assertThatThrownBy(() -> start("--ringserver.io-uring.recv-buffer-count=100"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: ringserver.io-uring.recvBufferCount")
                .contains("Value: \"100\"")
                .contains("Origin: \"ringserver.io-uring.recv-buffer-count\" from property source \"commandLineArgs\"")
                .contains("Reason: must be a power of two from 2 to 32768");
    }

    private static FailureAnalysis analyze(BackendUnavailableException failure) {
        FailureAnalysis analysis = new BackendUnavailableFailureAnalyzer(new StandardEnvironment()).analyze(failure);
        assertThat(analysis).isNotNull();
        return analysis;
    }

    private static void start(String... args) {
        new SpringApplicationBuilder(WebFluxTestApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off")
                .run(args)
                .close();
    }
}

package dev.ringserver.spring.autoconfigure;

import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.sys.linux.LibKqueue;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;

/**
 * Explains a start-up that failed because the backend named in {@code ringserver.backend} cannot run
 * on this machine: the description carries the probe's finding (for example the seccomp profile that
 * blocks io_uring), the action lists the backends that would work here and, where one exists, the
 * change to the machine or container that would make the chosen backend work.
 *
 * <p>Registered in {@code META-INF/spring.factories}; Boot creates it with the failed context's
 * {@link Environment} (null when the context was never created).
 */
public class BackendUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<BackendUnavailableException> {

    private final Environment environment;

    public BackendUnavailableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BackendUnavailableException cause) {
        String backend = cause.backend();
        StringBuilder description = new StringBuilder()
                .append("ringserver cannot start with the backend '").append(backend)
                .append("', which was chosen explicitly, because it cannot run on this machine:\n\n    ")
                .append(cause.reason()).append('\n');
        BackendProperty.describe(environment, backend, description);
        return new FailureAnalysis(description.toString(), action(backend, cause.reason()), cause);
    }

    private static String action(String backend, String reason) {
        List<String> available = RingBackends.availableNames();
        List<String> steps = new ArrayList<>();
        if (available.isEmpty()) {
            steps.add("Set ringserver.backend=auto");
        } else {
            steps.add("Set ringserver.backend=auto to use the best backend that works here (" + RingBackends.autoChoice()
                    + "), or name one that can run here: " + String.join(", ", available));
        }
        String runtimeFix = runtimeFix(backend, reason);
        if (runtimeFix == null) {
            return "Choose a backend that can run here:\n\n    - " + steps.getFirst() + "\n";
        }
        steps.add(runtimeFix);
        return "Choose a backend that can run here, or make " + backend + " available:\n\n    - "
                + String.join("\n    - ", steps) + "\n";
    }

    /** The change to the machine or container that would let {@code backend} run, if there is one. */
    static String runtimeFix(String backend, String reason) {
        if (reason.contains("seccomp")) {
            return "Or allow io_uring in the container: run it with a seccomp profile that permits io_uring_setup, "
                    + "io_uring_enter and io_uring_register (docker run --security-opt seccomp=<profile.json>, or "
                    + "seccomp=unconfined; in Kubernetes, securityContext.seccompProfile)";
        }
        if (reason.contains("io_uring_disabled=1")) {
            return "Or allow io_uring for this process: add its user to the group in kernel.io_uring_group, or run "
                    + "sysctl -w kernel.io_uring_disabled=0";
        }
        if (reason.contains("io_uring_disabled")) {
            return "Or turn io_uring back on: sysctl -w kernel.io_uring_disabled=0 (persist it in /etc/sysctl.d/)";
        }
        if (reason.contains("RLIMIT_MEMLOCK")) {
            return "Or raise the locked-memory limit: ulimit -l, LimitMEMLOCK= in systemd, or docker run "
                    + "--ulimit memlock=-1";
        }
        if (reason.contains("too old") || reason.contains("5.19") || reason.contains("CONFIG_IO_URING")) {
            return "Or run on a Linux 5.19 or newer kernel built with io_uring (CONFIG_IO_URING)";
        }
        if (reason.contains(LibKqueue.SONAME)) {
            return "Or install libkqueue, over which the kqueue backend runs on Linux: apt-get install libkqueue0 "
                    + "on Ubuntu (on Debian, Ubuntu's libkqueue0 .deb with dpkg -i), or put " + LibKqueue.SONAME
                    + " on LD_LIBRARY_PATH";
        }
        // Otherwise (kqueue on neither macOS nor Linux, epoll off Linux) nothing on the machine would help.
        return null;
    }
}

package dev.ringserver.testing;

import dev.ringserver.io.Availability;
import dev.ringserver.io.Backends;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.io.IoConfig;

import java.util.Set;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A backend and configuration that the conformance suites run against.
 *
 * @param label    how test reports name it
 * @param backend  the backend's name for {@link Backends#byName}
 * @param ioConfig the configuration, possibly with io_uring features turned off
 */
public record BackendUnderTest(String label, String backend, IoConfig ioConfig) {

    /** Every optional io_uring feature, turned off to run the most degraded path. */
    public static final Set<String> ALL_IO_URING_FEATURES = Set.of("cq_size", "single_issuer", "defer_taskrun",
            "coop_taskrun", "submit_all", "no_sqarray", "registered_ring", "ext_arg", "buffer_ring",
            "multishot_accept", "multishot_recv", "splice");

    public static BackendUnderTest ioUring() {
        return new BackendUnderTest("io_uring", "io_uring", IoConfig.DEFAULT);
    }

    /** io_uring with a buffer ring but single-shot accept and receive, re-armed by the backend. */
    public static BackendUnderTest ioUringSingleShot() {
        return new BackendUnderTest("io_uring single-shot", "io_uring",
                IoConfig.DEFAULT.withDisabledFeatures(Set.of("multishot_accept", "multishot_recv")));
    }

    /**
     * io_uring sending files through pipes with linked SPLICEs instead of {@code sendfile(2)} on the
     * loop (the default).
     */
    public static BackendUnderTest ioUringSplice() {
        return new BackendUnderTest("io_uring splice", "io_uring",
                IoConfig.DEFAULT.withDisabledFeatures(Set.of("sync_sendfile")));
    }

    /** io_uring as on an old kernel: no optional feature at all. */
    public static BackendUnderTest ioUringMinimal() {
        return new BackendUnderTest("io_uring minimal", "io_uring",
                IoConfig.DEFAULT.withDisabledFeatures(ALL_IO_URING_FEATURES));
    }

    public static BackendUnderTest epoll() {
        return new BackendUnderTest("epoll", "epoll", IoConfig.DEFAULT);
    }

    /** kqueue: the kernel's on macOS, libkqueue over Linux sockets on Linux. */
    public static BackendUnderTest kqueue() {
        return new BackendUnderTest("kqueue", "kqueue", IoConfig.DEFAULT);
    }

    public static BackendUnderTest nio() {
        return new BackendUnderTest("nio", "nio", IoConfig.DEFAULT);
    }

    public IoBackendProvider provider() {
        return Backends.byName(backend);
    }

    /** Skips the calling test, stating why, when the backend cannot run on this machine. */
    public void assumeAvailable() {
        Availability availability = provider().availability();
        assumeTrue(availability.available(), () -> label + " is unavailable here: " + availability.reason());
    }

    /** This backend with other receive buffers. */
    public BackendUnderTest withRecvBuffers(int size, int count) {
        return new BackendUnderTest(label, backend, ioConfig.withRecvBuffers(size, count));
    }

    @Override
    public String toString() {
        return label;
    }
}

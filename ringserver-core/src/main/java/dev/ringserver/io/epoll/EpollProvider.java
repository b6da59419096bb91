package dev.ringserver.io.epoll;

import dev.ringserver.io.Availability;
import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.NativeFileHandle;
import dev.ringserver.io.readiness.LinuxSocketOps;
import dev.ringserver.io.readiness.ReadinessBackend;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.Platform;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxEpoll;
import dev.ringserver.sys.posix.PosixFiles;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/** The epoll backend: Linux, edge-triggered, through FFM. Thread-safe. */
public final class EpollProvider implements IoBackendProvider {

    public static final EpollProvider INSTANCE = new EpollProvider();
    static final String FEATURES = "edge_triggered,eventfd_wakeup";

    private volatile Availability availability;

    private EpollProvider() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public Availability availability() {
        Availability result = availability;
        if (result == null) {
            result = probe();
            availability = result;
        }
        return result;
    }

    private static Availability probe() {
        if (!Platform.isLinuxSupported()) {
            return Availability.unavailable("epoll needs Linux on x86-64 or aarch64; this is " + Platform.describe());
        }
        int fd = LinuxEpoll.create1(LinuxAbi.EPOLL_CLOEXEC);
        if (fd < 0) {
            return Availability.unavailable("epoll_create1 failed with " + Errno.describe(-fd));
        }
        PosixFiles.close(fd);
        return Availability.available(FEATURES);
    }

    @Override
    public IoBackend create(IoConfig config) throws IOException {
        Availability probe = availability();
        if (!probe.available()) {
            throw new BackendUnavailableException(name(), probe.reason());
        }
        // NATIVE: the backend's arena, confined to the calling loop thread and closed by the backend.
        Arena arena = Arena.ofConfined();
        EpollPoller poller;
        try {
            poller = new EpollPoller(arena, config.maxEventsPerPoll());
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        return new ReadinessBackend(name(), FEATURES, poller, new LinuxSocketOps(arena), arena, config);
    }

    @Override
    public FileHandle openFile(Path path) throws IOException {
        return NativeFileHandle.open(path);
    }
}

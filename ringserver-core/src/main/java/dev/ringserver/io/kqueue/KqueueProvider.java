package dev.ringserver.io.kqueue;

import dev.ringserver.io.Availability;
import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.NativeFileHandle;
import dev.ringserver.io.readiness.DarwinSocketOps;
import dev.ringserver.io.readiness.LinuxSocketOps;
import dev.ringserver.io.readiness.Poller;
import dev.ringserver.io.readiness.ReadinessBackend;
import dev.ringserver.io.readiness.SocketOps;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.Kqueue;
import dev.ringserver.sys.Platform;
import dev.ringserver.sys.darwin.DarwinKqueue;
import dev.ringserver.sys.linux.LibKqueue;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.sys.posix.PosixSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * The kqueue backend: the shared readiness core ({@link ReadinessBackend}) with a {@link KqueuePoller}.
 * On macOS it runs on the kernel's kqueue with Darwin sockets ({@link DarwinSocketOps}), and
 * {@code auto} picks it there. On Linux it runs when the libkqueue userspace library is installed,
 * with Linux sockets ({@link LinuxSocketOps}): that exercises the kqueue poller and the shared core
 * on Linux, not Darwin's socket layer, and {@code auto} never picks it there (epoll does the same
 * work without the emulation). The probe creates a real kqueue and fires a wake-up through it.
 * Thread-safe.
 */
public final class KqueueProvider implements IoBackendProvider {

    public static final KqueueProvider INSTANCE = new KqueueProvider();
    /** On the kernel's kqueue, registrations ride on the next wait's kevent call. */
    static final String KERNEL_FEATURES = "edge_triggered,user_event_wakeup,changes_in_wait";
    static final String LIBKQUEUE_FEATURES = "edge_triggered,user_event_wakeup,libkqueue";
    /** EVFILT_WRITE is registered on a duplicate descriptor ({@link WriteDuplicates}). */
    static final String WRITE_ON_DUPLICATE = "write_on_duplicate";

    private volatile Availability availability;

    private KqueueProvider() {
    }

    @Override
    public String name() {
        return "kqueue";
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
        if (Platform.isMacSupported()) {
            return selfTest(DarwinKqueue.INSTANCE, KERNEL_FEATURES, false);
        }
        if (Platform.isLinuxSupported()) {
            String missing = LibKqueue.unavailableReason();
            if (missing != null) {
                return Availability.unavailable(missing);
            }
            return selfTest(LibKqueue.INSTANCE, LIBKQUEUE_FEATURES, true);
        }
        return Availability.unavailable("kqueue needs macOS on arm64 or x86-64, or Linux with the libkqueue library; "
                + "this is " + Platform.describe());
    }

    /**
     * Creates a kqueue, registers the wake-up event, triggers it and waits for it; with
     * {@code checkOneDescriptorTwice}, also registers a socket for both directions, which libkqueue 2.3
     * refuses (then {@link #WRITE_ON_DUPLICATE} joins the features and pollers use
     * {@link WriteDuplicates}).
     */
    private static Availability selfTest(Kqueue kqueue, String features, boolean checkOneDescriptorTwice) {
        // NATIVE: a confined arena for the probe's poller, closed before the probe returns.
        try (Arena arena = Arena.ofConfined()) {
            KqueuePoller poller = new KqueuePoller(kqueue, arena, 1, false);
            try {
                poller.wakeup();
                poller.wait(0, (handle, events) -> { });
                if (poller.wakeupsObserved() != 1) {
                    return Availability.unavailable(kqueue.abi().source()
                            + ": an EVFILT_USER event triggered with NOTE_TRIGGER was not reported");
                }
                if (checkOneDescriptorTwice && !watchesOneSocketBothWays(poller)) {
                    features += "," + WRITE_ON_DUPLICATE;
                }
            } finally {
                poller.close();
            }
            return Availability.available(features);
        } catch (IOException | RuntimeException e) {
            return Availability.unavailable(kqueue.abi().source() + ": " + e.getMessage());
        }
    }

    /** Registers a fresh (Linux) TCP socket for reading and writing and says whether that worked. */
    private static boolean watchesOneSocketBothWays(KqueuePoller poller) throws IOException {
        int socket = ErrnoException.check("socket", PosixSockets.socket(LinuxAbi.AF_INET,
                LinuxAbi.SOCK_STREAM | LinuxAbi.SOCK_CLOEXEC, 0));
        try {
            boolean[] lost = new boolean[1];
            poller.register(socket);
            poller.wait(0, new Poller.ReadyHandler() {
                @Override
                public void ready(int handle, int events) {
                }

                @Override
                public void lost(int handle, int errno) {
                    lost[0] = true;
                }
            });
            poller.deregister(socket, true);
            return !lost[0];
        } finally {
            PosixFiles.close(socket);
        }
    }

    @Override
    public IoBackend create(IoConfig config) throws IOException {
        Availability probe = availability();
        if (!probe.available()) {
            throw new BackendUnavailableException(name(), probe.reason());
        }
        // NATIVE: the backend's arena, confined to the calling loop thread and closed by the backend.
        Arena arena = Arena.ofConfined();
        KqueuePoller poller;
        try {
            poller = newPoller(arena, config.maxEventsPerPoll(), probe.features().contains(WRITE_ON_DUPLICATE));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        SocketOps ops = newSocketOps(arena);
        // From here the backend owns the poller and the arena, and closes both if it fails.
        return new ReadinessBackend(name(), probe.features(), poller, ops, arena, config);
    }

    /**
     * A poller on this OS's kqueue: the kernel's on macOS, libkqueue's on Linux. Only where
     * {@link #availability()} says kqueue runs.
     */
    static KqueuePoller newPoller(Arena arena, int maxEvents, boolean writeOnDuplicates) throws IOException {
        return Platform.isMacSupported()
                ? new KqueuePoller(DarwinKqueue.INSTANCE, arena, maxEvents, writeOnDuplicates)
                : new KqueuePoller(LibKqueue.INSTANCE, arena, maxEvents, writeOnDuplicates);
    }

    /** The socket calls that go with {@link #newPoller}: Darwin's on macOS, Linux's on Linux. */
    static SocketOps newSocketOps(Arena arena) {
        return Platform.isMacSupported() ? new DarwinSocketOps(arena) : new LinuxSocketOps(arena);
    }

    @Override
    public FileHandle openFile(Path path) throws IOException {
        return NativeFileHandle.open(path);
    }
}

package dev.ringserver.io.uring;

import dev.ringserver.io.Availability;
import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.NativeFileHandle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The io_uring backend: probes the kernel once (see {@link IoUringProbe}) and creates rings with the
 * features found. Thread-safe.
 */
public final class IoUringProvider implements IoBackendProvider {

    public static final IoUringProvider INSTANCE = new IoUringProvider();

    private volatile IoUringProbe.Result probe;

    private IoUringProvider() {
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public Availability availability() {
        IoUringProbe.Result result = probe();
        return result.available()
                ? Availability.available(String.join(",", result.features()))
                : Availability.unavailable(result.reason());
    }

    /** The optional features the probe found, by the names {@link IoConfig#disabledFeatures()} uses. */
    public Set<String> probedFeatures() {
        return probe().features();
    }

    private IoUringProbe.Result probe() {
        IoUringProbe.Result result = probe;
        if (result == null) {
            synchronized (this) {
                result = probe;
                if (result == null) {
                    result = IoUringProbe.run();
                    probe = result;
                }
            }
        }
        return result;
    }

    @Override
    public IoBackend create(IoConfig config) throws IOException {
        IoUringProbe.Result result = probe();
        if (!result.available()) {
            throw new BackendUnavailableException(name(), result.reason());
        }
        return new IoUringBackend(config, result.features());
    }

    @Override
    public FileHandle openFile(Path path) throws IOException {
        return NativeFileHandle.open(path);
    }
}

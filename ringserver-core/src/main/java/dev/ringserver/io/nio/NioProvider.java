package dev.ringserver.io.nio;

import dev.ringserver.io.Availability;
import dev.ringserver.io.ChannelFileHandle;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.readiness.ReadinessBackend;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * The portable backend on the JDK's {@link java.nio.channels.Selector}: available wherever Java runs,
 * and the fallback when no native backend can. Thread-safe.
 */
public final class NioProvider implements IoBackendProvider {

    public static final NioProvider INSTANCE = new NioProvider();

    private volatile Availability availability;

    private NioProvider() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public Availability availability() {
        Availability result = availability;
        if (result == null) {
            result = Availability.available(NioChannels.features());
            availability = result;
        }
        return result;
    }

    @Override
    public IoBackend create(IoConfig config) throws IOException {
        // NATIVE: the backend's arena (receive buffers), confined to the calling loop thread and
        // closed by the backend.
        Arena arena = Arena.ofConfined();
        NioChannels channels;
        try {
            channels = new NioChannels();
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        return new ReadinessBackend(name(), availability().features(), channels, channels, arena, config);
    }

    @Override
    public FileHandle openFile(Path path) throws IOException {
        return ChannelFileHandle.open(path);
    }
}

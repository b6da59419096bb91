package dev.ringserver.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file open as a {@link FileChannel}, for the NIO backend. Thread-safe. */
public final class ChannelFileHandle implements FileHandle {

    private final FileChannel channel;
    private final long size;

    private ChannelFileHandle(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /** Opens {@code path} for reading. Blocks on the file system: never call on a loop. */
    public static ChannelFileHandle open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ChannelFileHandle(channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public FileChannel channel() {
        return channel;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

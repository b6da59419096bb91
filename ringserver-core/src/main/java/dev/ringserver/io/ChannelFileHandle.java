package dev.ringserver.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file open as a {@link FileChannel}, for the NIO backend. Thread-safe; each handle closes once,
 * and the channel is closed with the last handle sharing it ({@link #share()}). Sharing is safe
 * because sending uses positional transfers, never the channel's own position.
 */
public final class ChannelFileHandle implements FileHandle {

    private final FileChannel channel;
    private final long size;
    private final FileReferences references;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChannelFileHandle(FileChannel channel, long size, FileReferences references) {
        this.channel = channel;
        this.size = size;
        this.references = references;
    }

    /** Opens {@code path} for reading. Blocks on the file system: never call on a loop. */
    public static ChannelFileHandle open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ChannelFileHandle(channel, channel.size(), new FileReferences());
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
    public ChannelFileHandle share() {
        if (closed.get()) {
            throw new IllegalStateException("the file handle is closed");
        }
        references.retain();
        return new ChannelFileHandle(channel, size, references);
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true) && references.release()) {
            channel.close();
        }
    }
}

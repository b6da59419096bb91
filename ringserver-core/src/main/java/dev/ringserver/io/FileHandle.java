package dev.ringserver.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * A file opened for {@link IoBackend#sendfile}, in the form the backend that will send it needs: a
 * native descriptor for native backends, a {@link java.nio.channels.FileChannel} for NIO. Obtain one
 * from {@link IoBackendProvider#openFile}. Thread-safe; closing while a sendfile is pending is the
 * caller's error.
 */
public sealed interface FileHandle extends Closeable permits NativeFileHandle, ChannelFileHandle {

    /** The file's size when it was opened. */
    long size();

    @Override
    void close() throws IOException;
}

package dev.ringserver.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * A file opened for {@link IoBackend#sendfile}, in the form the backend that will send it needs: a
 * native descriptor for native backends, a {@link java.nio.channels.FileChannel} for NIO. Obtain one
 * from {@link IoBackendProvider#openFile}. Thread-safe; closing while a sendfile is pending is the
 * caller's error.
 *
 * <p>Several handles may share one open file ({@link #share()}): each is closed on its own, exactly
 * like an unshared handle, and the file itself is closed when the last of them is. This is how one
 * cached descriptor serves many responses although {@code HttpResponse.sendFile} closes the handle it
 * is given.
 */
public sealed interface FileHandle extends Closeable permits NativeFileHandle, ChannelFileHandle {

    /** The file's size when it was opened. */
    long size();

    /**
     * Another handle to the same open file, with its own {@link #close()}: the file stays open until
     * this handle and every share of it have been closed. Any thread; no system call.
     *
     * @throws IllegalStateException when this handle is already closed
     */
    FileHandle share();

    /** Closes this handle; the file itself once no share of it is open. Idempotent. */
    @Override
    void close() throws IOException;
}

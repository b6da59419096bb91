package dev.ringserver.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One kind of backend (io_uring, epoll, NIO): probes whether it can run and creates instances.
 * Thread-safe.
 */
public interface IoBackendProvider {

    /** {@code io_uring}, {@code epoll}, {@code kqueue} or {@code nio}. */
    String name();

    /** The result of probing this machine, computed once and cached. */
    Availability availability();

    /**
     * Creates a backend owned by the calling thread, which must be the event loop that will use it.
     *
     * @throws BackendUnavailableException when {@link #availability()} says it cannot run
     * @throws IOException                 when the kernel refuses resources (memory, descriptors)
     */
    IoBackend create(IoConfig config) throws IOException;

    /**
     * Opens a file for {@link IoBackend#sendfile} on this kind of backend. Blocks on the file system, so
     * call it off the event loops. Any thread.
     */
    FileHandle openFile(Path path) throws IOException;
}

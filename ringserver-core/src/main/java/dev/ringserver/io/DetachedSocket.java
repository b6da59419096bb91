package dev.ringserver.io;

import dev.ringserver.sys.posix.PosixFiles;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A connected socket between two backends: {@link IoBackend#detach} on the loop that accepted it,
 * {@link IoBackend#adopt} on the loop that will serve it. Whoever holds it must adopt or
 * {@link #close()} it. Immutable; it may cross threads through a loop's task queue.
 */
public sealed interface DetachedSocket {

    /** Closes the socket when it cannot be adopted. */
    void close() throws IOException;

    /** A native file descriptor (io_uring, epoll). */
    record Native(int fd) implements DetachedSocket {
        @Override
        public void close() {
            PosixFiles.close(fd);
        }
    }

    /** A JDK channel (NIO). */
    record Channel(SocketChannel channel) implements DetachedSocket {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

package dev.ringserver.server;

import java.lang.foreign.MemorySegment;

/**
 * The protocol spoken on one connection, driven by its event loop. Every method runs on the
 * connection's loop thread, one at a time; a handler may keep state without synchronisation. A
 * handler that throws has its connection aborted.
 */
public interface ConnectionHandler {

    /** Creates the handler for a newly accepted connection (on its loop thread). */
    @FunctionalInterface
    interface Factory {
        ConnectionHandler create(Connection connection);
    }

    /** The connection is established; reading starts after this returns. */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived: {@code data[offset, offset + length)}.
     *
     * <p>Returns how many of them the handler consumed. Returning fewer than {@code length} means it
     * cannot take more now: the connection stops reading, keeps the rest where it is (nothing is
     * copied), and offers it again, from where the handler stopped, once the handler calls
     * {@link Connection#resumeReading()}. The memory belongs to the transport: what was consumed may
     * be reused once this method returns, so copy what must be kept.
     */
    int onRead(Connection connection, MemorySegment data, int offset, int length);

    /**
     * The peer closed its sending side (end of stream). Writing is still possible; the default closes
     * the connection once pending writes are sent.
     */
    default void onInputClosed(Connection connection) {
        connection.close();
    }

    /** Everything written has been handed to the kernel; more may be written without queueing. */
    default void onWritable(Connection connection) {
    }

    /**
     * The server is shutting down gracefully: finish what is in progress and close. The default closes
     * the connection once pending writes are sent.
     */
    default void onShutdown(Connection connection) {
        connection.close();
    }

    /**
     * The connection is closed and its resources released.
     *
     * @param cause null for an orderly close, else the I/O error or handler exception that ended it
     */
    default void onClosed(Connection connection, Throwable cause) {
    }
}

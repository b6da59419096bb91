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
     * Bytes arrived: {@code data[0, length)}. The memory belongs to the transport and is reused once
     * this method returns, so copy what must be kept.
     */
    void onRead(Connection connection, MemorySegment data, int length);

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
     * The connection is closed and its resources released.
     *
     * @param cause null for an orderly close, else the I/O error or handler exception that ended it
     */
    default void onClosed(Connection connection, Throwable cause) {
    }
}

package dev.ringserver.server;

/** What each event loop counts about connections. */
public enum LoopCounter {
    /** Connections accepted and served. */
    ACCEPTED,
    /** Connections closed at once because the loop was at its connection limit or stopping. */
    REJECTED,
    /** Connections currently open. */
    ACTIVE,
    /** Writes the kernel completed only in part (the socket's send buffer was full). */
    PARTIAL_WRITES,
    /** Accept failures (for example EMFILE), each followed by a back-off. */
    ACCEPT_ERRORS
}

package dev.ringserver.io;

/** What every backend counts in its {@link Counters}. */
public enum IoCounter {
    /** Operations submitted (SQEs for io_uring; requested operations for readiness backends). */
    SUBMISSIONS,
    /** Completions delivered to the event loop. */
    COMPLETIONS,
    /** System calls made by the loop thread (io_uring_enter, epoll_pwait, recv, send, ...). */
    SYSCALLS,
    /** Calls that reap or wait for events: io_uring_enter with GETEVENTS, epoll_pwait, select. */
    POLLS,
    /** Wake-ups from other threads observed by the loop. */
    WAKEUPS,
    /** Bytes received from sockets. */
    BYTES_RECEIVED,
    /** Bytes sent to sockets, including sendfile. */
    BYTES_SENT,
    /** Bytes of files sent with sendfile (also counted in {@link #BYTES_SENT}). */
    SENDFILE_BYTES,
    /** io_uring completion-queue overflows detected (the kernel held completions back). */
    CQ_OVERFLOWS,
    /** Times a receive waited because every receive buffer was in use. */
    RECV_BUFFERS_EXHAUSTED
}

package dev.ringserver.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * A completion-based I/O engine owned by one event loop: operations are submitted with a tag, and
 * their results come back later, in batches, as completions carrying that tag.
 *
 * <p>io_uring implements this directly. Readiness backends (epoll, NIO) perform the system call
 * themselves when the socket is ready and report its result as a completion, so code above this
 * interface never knows which model runs underneath.
 *
 * <h2>Portability contract</h2>
 * <ul>
 *   <li><b>Threading.</b> A backend is confined to the thread that created it (its event loop). Every
 *       method except {@link #wakeup()} and {@link #counters()} must be called on that thread.
 *       Completions are delivered only from inside {@link #poll}, on that thread, never from inside a
 *       submitting call: submitting is never re-entrant.</li>
 *   <li><b>Handles.</b> Sockets are named by {@code int} handles that only the backend that produced
 *       them understands (a file descriptor for native backends, a table index for NIO). Handles
 *       come from {@link #listen} and from accept completions, and stay valid until their
 *       {@link #close(int, long) close} completes.</li>
 *   <li><b>Tags.</b> Each operation carries a non-negative {@code long} tag chosen by the caller and
 *       returned with its completions; negative tags are reserved for the backend's own use. The
 *       backend never interprets tags.</li>
 *   <li><b>Results.</b> A completion's {@code result} is the byte count or new handle on success and
 *       {@code -errno} on failure, with the errno values of {@link dev.ringserver.sys.Errno}.</li>
 *   <li><b>Buffer ownership.</b> Memory passed to {@link #send}, {@link #sendv} (the iovec array and
 *       every buffer it points to) belongs to the backend and the kernel from submission until that
 *       operation's completion arrives: it must be native memory with a stable address, and must not
 *       be written or freed before then. Received data arrives in the backend's own buffers: the
 *       caller reads {@link #recvBuffer(int)} and must return it with {@link #releaseRecvBuffer(int)}
 *       exactly once, after which it may be reused at once.</li>
 *   <li><b>Partial results.</b> {@link #send}, {@link #sendv} and {@link #sendfile} may complete having
 *       written fewer bytes than asked; the caller submits the rest. At most one write-type operation
 *       (send, sendv, sendfile) may be pending per handle.</li>
 *   <li><b>Multishot.</b> {@link #accept} and {@link #recv} stay armed and complete repeatedly. While a
 *       completion has {@link Completions#MORE} set the operation is still armed; the last completion
 *       lacks it (end of stream, an error, or cancellation). A backend without native multishot
 *       support re-arms internally, so callers see the same behaviour everywhere. When the backend's
 *       receive buffers are exhausted, receiving pauses until buffers are released; no data is
 *       lost.</li>
 *   <li><b>Cancellation.</b> {@link #cancel} and {@link #cancelTimeout} are requests: the target
 *       completes with {@code -ECANCELED}, or with its natural result if it had already finished.
 *       Either way exactly one final completion arrives for it.</li>
 *   <li><b>Close.</b> {@link #close(int, long)} cancels every operation pending on the handle, then
 *       closes it. The cancelled operations still deliver their final completions, possibly after
 *       the close completion; their memory stays owned by the backend until they do. Callers count
 *       their pending operations and release a connection only when the count reaches zero.</li>
 *   <li><b>Shutdown.</b> {@link #close()} releases the backend. Callers first close their handles
 *       and drain completions; anything still pending is cancelled and waited for (briefly) so the
 *       kernel never writes into freed memory.</li>
 * </ul>
 *
 * <p>Every backend counts its work in {@link #counters()}, which other threads may read at any time.
 */
public interface IoBackend extends AutoCloseable {

    /** The backend's name: {@code io_uring}, {@code epoll}, {@code kqueue} or {@code nio}. */
    String name();

    /** The features this instance runs with, comma-separated, for logs and metrics. */
    String features();

    /** Counters of this backend's work; readable from any thread without locks. */
    Counters<IoCounter> counters();

    /**
     * Opens a non-blocking listening socket bound to {@code address}. Synchronous.
     *
     * @throws IOException naming the failing call and errno, such as {@code EADDRINUSE}
     */
    int listen(InetSocketAddress address, ListenOptions options) throws IOException;

    /** The local address of a handle (for a listener: the bound address, with the real port). */
    InetSocketAddress localAddress(int handle) throws IOException;

    /** The peer address of a connected handle. */
    InetSocketAddress remoteAddress(int handle) throws IOException;

    /**
     * Accepts connections on {@code listener} until cancelled or failed (multishot). Each completion's
     * result is a new connected, non-blocking handle, or {@code -errno}. A failure such as
     * {@code -EMFILE} ends the operation (no {@link Completions#MORE}); the caller decides when to
     * accept again.
     */
    void accept(int listener, long tag);

    /**
     * Receives on {@code handle} until cancelled, at end of stream or on error (multishot). Each data
     * completion has {@link Completions#BUFFER} set and names a receive buffer holding
     * {@code result} bytes; a result of 0 means the peer closed its side.
     */
    void recv(int handle, long tag);

    /**
     * Sends {@code length} bytes of {@code buffer} starting at {@code offset}.
     *
     * @param more the caller sends more at once (the file region that follows a response head): the
     *             kernel may hold back a final partial segment until that next write, so the two leave
     *             together ({@code MSG_MORE} on Linux). A hint, never a loss: the next write or a close
     *             sends what was held, and when nothing follows Linux sends it on its own after about
     *             200 ms. Where the OS has no such flag (macOS, the JDK's channels) it is ignored.
     */
    void send(int handle, MemorySegment buffer, long offset, int length, boolean more, long tag);

    /**
     * Sends the buffers described by {@code count} {@code struct iovec}s at the start of
     * {@code iovecs} (see {@link IoVecs}), in one gathering write.
     */
    void sendv(int handle, MemorySegment iovecs, int count, long tag);

    /** Sends {@code count} bytes of {@code file} from {@code offset} without copying them through user space. */
    void sendfile(int handle, FileHandle file, long offset, int count, long tag);

    /** Cancels every pending operation on {@code handle} and closes it; see the class contract. */
    void close(int handle, long tag);

    /** Cancels the operation with {@code tag} pending on {@code handle}. */
    void cancel(int handle, long tag);

    /** Completes with {@code -ETIME} after {@code nanos} nanoseconds (a kernel timer where there is one). */
    void timeout(long nanos, long tag);

    /** Cancels the pending timeout with {@code tag}. */
    void cancelTimeout(long tag);

    /**
     * Stops serving a connected handle that has no pending operation and returns its socket, so that
     * another backend of the same kind can {@link #adopt} it. The handle is invalid afterwards.
     */
    DetachedSocket detach(int handle);

    /** Starts serving a socket detached from another backend of the same kind; returns its handle here. */
    int adopt(DetachedSocket socket) throws IOException;

    /** Shuts down the sending side of {@code handle}; synchronous. Returns 0 or {@code -errno}. */
    int shutdownOutput(int handle);

    /** The receive buffer a completion named; valid until released. */
    MemorySegment recvBuffer(int bufferId);

    /** Returns a receive buffer to the backend. */
    void releaseRecvBuffer(int bufferId);

    /**
     * Submits everything queued, waits up to {@code timeoutNanos} for at least one completion (0: do not
     * wait; negative: wait until a completion or {@link #wakeup()}), and delivers the available
     * completions to {@code handler} as one batch.
     *
     * @return the number of completions delivered
     */
    int poll(CompletionHandler handler, long timeoutNanos) throws IOException;

    /** Makes a current or the next {@link #poll} return promptly. Any thread may call it. */
    void wakeup();

    /** Releases the backend and its native memory; see the class contract. */
    @Override
    void close();
}

package dev.ringserver.io.uring;

import dev.ringserver.io.Counters;
import dev.ringserver.io.IoCounter;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxFiles;
import dev.ringserver.sys.posix.PosixFiles;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The pipes one io_uring backend splices files through (file to pipe to socket), at most
 * {@code capacity} of them, each carrying at most one transfer at a time, and that transfer's state.
 *
 * <p>Pipes are created on first use with {@code pipe2(O_CLOEXEC|O_NONBLOCK)} and enlarged with
 * {@code F_SETPIPE_SZ}. A pipe smaller than {@code minimumSize} is not used: splicing through the
 * default 64 KiB pipe costs about twice the CPU of {@code sendfile(2)} for a 1 MiB file. The kernel
 * refuses to enlarge pipes beyond {@code fs.pipe-max-size}, or beyond the user's
 * {@code fs.pipe-user-pages-soft} in total, to a process without {@code CAP_SYS_RESOURCE}; then the
 * pool stops growing at the pipes it has, and says so once.
 *
 * <p>A pipe goes back to the pool only empty and after a transfer that ended without error; any
 * other pipe may hold bytes nobody will read, so it is closed, and a new one is created when needed.
 * When every pipe is busy, or a pipe cannot be created, {@link #acquire()} returns null and the
 * backend sends the file with {@code sendfile(2)} instead.
 *
 * <p>Confined to the backend's thread.
 */
final class SplicePipes {

    private static final System.Logger LOG = System.getLogger(SplicePipes.class.getName());

    /** Pending SQE bits of a transfer. */
    static final int FILL = 1;
    static final int DRAIN = 2;
    static final int WRITABLE = 4;

    /** One pipe and the transfer it carries. Allocated once per pool entry and reused. */
    static final class Pipe {
        final int index;
        int readFd = -1;
        int writeFd = -1;
        /** Bytes the pipe holds at most. */
        int capacity;
        /** The transfer's chunk: the bytes asked of the file-to-pipe splice. */
        int chunk;
        /** Bytes in the pipe, not yet spliced to the socket. */
        int inPipe;
        /** Bytes spliced to the socket by this transfer. */
        int sent;
        /** The SQEs in flight ({@link #FILL}, {@link #DRAIN}, {@link #WRITABLE}); the transfer ends at 0. */
        int pending;
        /** The first error (a negative errno) the transfer met, or 0. */
        int error;
        /** The socket took fewer bytes than offered: wait for room before draining again. */
        boolean socketFull;
        /** The caller closed the socket meanwhile: the close to submit once the transfer ended, or -1. */
        long closeTag = -1;

        Pipe(int index) {
            this.index = index;
        }

        void start(int chunkBytes) {
            chunk = chunkBytes;
            inPipe = 0;
            sent = 0;
            pending = 0;
            error = 0;
            socketFull = false;
            closeTag = -1;
        }

        boolean isOpen() {
            return readFd >= 0;
        }
    }

    private final Pipe[] pipes;
    private final int[] idle;
    private int idleCount;
    private final int[] unopened;
    private int unopenedCount;
    private final int wantedSize;
    private final int minimumSize;
    /** The most pipes open at once: the capacity, or fewer once the kernel refused to enlarge one. */
    private int limit;
    private final Counters<IoCounter> counters;
    private final MemorySegment fds;
    private int busy;

    /**
     * @param capacity    the most pipes open at once
     * @param wantedSize  the pipe size to ask for with {@code F_SETPIPE_SZ}
     * @param minimumSize the smallest pipe worth splicing through
     */
    SplicePipes(Arena arena, int capacity, int wantedSize, int minimumSize, Counters<IoCounter> counters) {
        this.pipes = new Pipe[capacity];
        this.idle = new int[capacity];
        this.unopened = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            pipes[i] = new Pipe(i);
            unopened[unopenedCount++] = capacity - 1 - i;
        }
        this.wantedSize = wantedSize;
        this.minimumSize = minimumSize;
        this.limit = capacity;
        this.counters = counters;
        // NATIVE: the two ints pipe2 fills, in the backend's arena; written only during the synchronous call.
        this.fds = NativeMemory.allocate(arena, 8, 4);
    }

    /** An idle pipe, or a new one; null when all are busy or a pipe cannot be created. */
    Pipe acquire() {
        Pipe pipe;
        if (idleCount > 0) {
            pipe = pipes[idle[--idleCount]];
        } else if (unopenedCount > 0 && open() < limit && open(pipes[unopened[unopenedCount - 1]])) {
            pipe = pipes[unopened[--unopenedCount]];
        } else {
            return null;
        }
        busy++;
        return pipe;
    }

    Pipe get(int index) {
        return pipes[index];
    }

    /** Returns an empty pipe whose transfer ended without error to the pool. */
    void release(Pipe pipe) {
        busy--;
        idle[idleCount++] = pipe.index;
    }

    /** Closes a pipe that may hold bytes (or failed); a fresh one replaces it when needed. */
    void discard(Pipe pipe) {
        busy--;
        close(pipe);
        unopened[unopenedCount++] = pipe.index;
    }

    /** Pipes carrying a transfer. */
    int busy() {
        return busy;
    }

    /** Pipes open, busy or idle. */
    int open() {
        return pipes.length - unopenedCount;
    }

    /** Closes every idle pipe; with {@code busyToo}, also those still carrying a transfer. */
    void close(boolean busyToo) {
        for (int i = 0; i < idleCount; i++) {
            close(pipes[idle[i]]);
            unopened[unopenedCount++] = idle[i];
        }
        idleCount = 0;
        if (busyToo) {
            for (Pipe pipe : pipes) {
                if (pipe.isOpen()) {
                    close(pipe);
                    unopened[unopenedCount++] = pipe.index;
                }
            }
            busy = 0;
        }
    }

    private boolean open(Pipe pipe) {
        counters.increment(IoCounter.SYSCALLS);
        if (LinuxFiles.pipe2(fds, LinuxAbi.O_CLOEXEC | LinuxAbi.O_NONBLOCK) < 0) {
            return false; // EMFILE, ENFILE: the caller sends with sendfile(2) instead
        }
        pipe.readFd = fds.get(ValueLayout.JAVA_INT, 0);
        pipe.writeFd = fds.get(ValueLayout.JAVA_INT, 4);
        counters.increment(IoCounter.SYSCALLS);
        int size = PosixFiles.fcntl(pipe.writeFd, LinuxAbi.F_SETPIPE_SZ, wantedSize);
        int refused = size < 0 ? -size : 0;
        if (size < 0) {
            counters.increment(IoCounter.SYSCALLS);
            size = PosixFiles.fcntl(pipe.writeFd, LinuxAbi.F_GETPIPE_SZ, 0);
        }
        if (size < minimumSize) {
            close(pipe);
            limit = open(); // this pipe is not counted: its index is still among the unopened
            LOG.log(System.Logger.Level.WARNING, "io_uring: the kernel "
                    + (refused != 0 ? "refused (" + Errno.name(refused) + ")" : "did not grant")
                    + " a " + (wantedSize >> 10) + " KiB pipe for splicing files; the limits are fs.pipe-max-size "
                    + "and the user's fs.pipe-user-pages-soft (CAP_SYS_RESOURCE lifts both). This loop splices "
                    + "through the " + limit + " pipes it has and sends other files with sendfile(2)");
            return false;
        }
        pipe.capacity = size;
        return true;
    }

    private void close(Pipe pipe) {
        if (pipe.isOpen()) {
            counters.add(IoCounter.SYSCALLS, 2);
            PosixFiles.close(pipe.readFd);
            PosixFiles.close(pipe.writeFd);
            pipe.readFd = -1;
            pipe.writeFd = -1;
        }
    }
}

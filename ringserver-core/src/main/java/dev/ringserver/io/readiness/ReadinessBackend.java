package dev.ringserver.io.readiness;

import dev.ringserver.io.BufferSlab;
import dev.ringserver.io.CompletionHandler;
import dev.ringserver.io.Completions;
import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.Counters;
import dev.ringserver.io.IoCounter;
import dev.ringserver.io.IoVecs;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.io.PendingCompletions;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.ErrnoException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;

import static dev.ringserver.io.IoCounter.BYTES_RECEIVED;
import static dev.ringserver.io.IoCounter.BYTES_SENT;
import static dev.ringserver.io.IoCounter.COMPLETIONS;
import static dev.ringserver.io.IoCounter.POLLS;
import static dev.ringserver.io.IoCounter.RECV_BUFFERS_EXHAUSTED;
import static dev.ringserver.io.IoCounter.SENDFILE_BYTES;
import static dev.ringserver.io.IoCounter.SUBMISSIONS;
import static dev.ringserver.io.IoCounter.SYSCALLS;
import static dev.ringserver.io.IoCounter.WAKEUPS;

/**
 * Turns readiness into completions: the one {@link IoBackend} implementation behind epoll, kqueue and
 * NIO, which differ only in their {@link Poller} and {@link SocketOps}.
 *
 * <p>Each handle keeps its pending operations. When an operation is submitted and the handle is
 * already known to be ready, the system call runs at once; otherwise it runs when the poller reports
 * readiness. Either way the result is queued and delivered from {@link #poll}, never from the
 * submitting call. A handle stays "ready" until a call returns {@code EAGAIN} or a receive comes back
 * short (the socket was drained, so an edge-triggered poller will report new data), which keeps
 * system calls to one per transfer on the hot path.
 *
 * <p>Confined to the event loop thread that created it, except {@link #wakeup()} and
 * {@link #counters()}.
 */
public final class ReadinessBackend implements IoBackend {

    private static final int ACCEPTS_PER_ROUND = 64;
    private static final int RECVS_PER_ROUND = 4;
    private static final int DELIVERIES_PER_POLL = 4096;
    private static final long NONE = -1;
    private static final int WRITE_NONE = 0;
    private static final int WRITE_SEND = 1;
    private static final int WRITE_SENDV = 2;
    private static final int WRITE_SENDFILE = 3;

    private final String name;
    private final String features;
    private final Poller poller;
    private final SocketOps ops;
    private final Arena arena;
    private final BufferSlab buffers;
    private final Counters<IoCounter> counters = new Counters<>(IoCounter.class);
    private final PendingCompletions completions = new PendingCompletions();
    private final TimerHeap timers;
    private final ArrayDeque<HandleState> ready = new ArrayDeque<>();
    private final ArrayDeque<HandleState> bufferWaiters = new ArrayDeque<>();
    private final Poller.ReadyHandler onReady = new Poller.ReadyHandler() {
        @Override
        public void ready(int handle, int events) {
            onReady(handle, events);
        }

        @Override
        public void lost(int handle, int errno) {
            onLost(handle, errno);
        }
    };
    private HandleState[] handles = new HandleState[1024];
    private long wakeupsCounted;
    private boolean closed;

    /** What one handle is waiting for. */
    private static final class HandleState {
        final int handle;
        boolean closed;
        long acceptTag = NONE;
        long recvTag = NONE;
        long writeTag = NONE;
        int writeKind = WRITE_NONE;
        MemorySegment writeBuffer;
        long writeOffset;
        int writeLength;
        /** A send's {@code more} hint. */
        boolean writeMore;
        FileHandle writeFile;
        boolean readReady;
        boolean writeReady = true;
        boolean peerClosed;
        boolean queued;
        boolean waitingForBuffer;
        boolean wantRead;
        boolean wantWrite;
        /** 0, or -errno once the poller lost the handle: every operation fails with it. */
        int failure;

        HandleState(int handle) {
            this.handle = handle;
        }
    }

    /**
     * Creates a backend owning {@code poller} and {@code ops}; on failure closes them.
     *
     * @param arena a confined arena of the calling thread that the backend owns and closes
     */
    public ReadinessBackend(String name, String features, Poller poller, SocketOps ops, Arena arena, IoConfig config)
            throws IOException {
        this.name = name;
        this.features = features;
        this.poller = poller;
        this.ops = ops;
        this.arena = arena;
        this.timers = new TimerHeap(config.maxPendingTimeouts());
        try {
            this.buffers = new BufferSlab(arena, config.recvBufferCount(), config.recvBufferSize());
        } catch (IOException | RuntimeException e) {
            poller.close();
            arena.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String features() {
        return features;
    }

    @Override
    public Counters<IoCounter> counters() {
        return counters;
    }

    @Override
    public int listen(InetSocketAddress address, ListenOptions options) throws IOException {
        int handle = ops.listen(address, options);
        try {
            adopt(handle);
        } catch (IOException | RuntimeException e) {
            ops.close(handle);
            throw e;
        }
        return handle;
    }

    @Override
    public InetSocketAddress localAddress(int handle) throws IOException {
        return ops.localAddress(handle);
    }

    @Override
    public InetSocketAddress remoteAddress(int handle) throws IOException {
        return ops.remoteAddress(handle);
    }

    @Override
    public void accept(int listener, long tag) {
        HandleState state = submit(listener, tag);
        if (state != null) {
            state.acceptTag = tag;
            service(state);
        }
    }

    @Override
    public void recv(int handle, long tag) {
        HandleState state = submit(handle, tag);
        if (state != null) {
            state.recvTag = tag;
            service(state);
        }
    }

    @Override
    public void send(int handle, MemorySegment buffer, long offset, int length, boolean more, long tag) {
        HandleState state = submitWrite(handle, tag, WRITE_SEND);
        if (state != null) {
            state.writeBuffer = buffer;
            state.writeOffset = offset;
            state.writeLength = length;
            state.writeMore = more;
            service(state);
        }
    }

    @Override
    public void sendv(int handle, MemorySegment iovecs, int count, long tag) {
        HandleState state = submitWrite(handle, tag, WRITE_SENDV);
        if (state != null) {
            state.writeBuffer = iovecs;
            state.writeLength = count;
            service(state);
        }
    }

    @Override
    public void sendfile(int handle, FileHandle file, long offset, int count, long tag) {
        HandleState state = submitWrite(handle, tag, WRITE_SENDFILE);
        if (state != null) {
            state.writeFile = file;
            state.writeOffset = offset;
            state.writeLength = count;
            service(state);
        }
    }

    @Override
    public void close(int handle, long tag) {
        counters.increment(SUBMISSIONS);
        HandleState state = state(handle);
        if (state == null) {
            completions.add(tag, -Errno.EBADF, 0);
            return;
        }
        cancelAll(state);
        state.closed = true;
        handles[handle] = null;
        poller.deregister(handle, true);
        counters.increment(SYSCALLS);
        completions.add(tag, ops.close(handle), 0);
    }

    @Override
    public void cancel(int handle, long tag) {
        HandleState state = state(handle);
        if (state == null) {
            return;
        }
        if (state.acceptTag == tag) {
            state.acceptTag = NONE;
        } else if (state.recvTag == tag) {
            state.recvTag = NONE;
            state.waitingForBuffer = false;
        } else if (state.writeTag == tag) {
            clearWrite(state);
        } else {
            return;
        }
        completions.add(tag, -Errno.ECANCELED, 0);
        updateInterest(state);
    }

    @Override
    public void timeout(long nanos, long tag) {
        counters.increment(SUBMISSIONS);
        timers.add(System.nanoTime() + Math.max(0, nanos), tag);
    }

    @Override
    public void cancelTimeout(long tag) {
        if (timers.remove(tag)) {
            completions.add(tag, -Errno.ECANCELED, 0);
        }
    }

    @Override
    public DetachedSocket detach(int handle) {
        HandleState state = state(handle);
        if (state == null) {
            throw new IllegalArgumentException("unknown handle " + handle);
        }
        if (state.acceptTag != NONE || state.recvTag != NONE || state.writeKind != WRITE_NONE) {
            throw new IllegalStateException("handle " + handle + " has pending operations");
        }
        state.closed = true;
        handles[handle] = null;
        poller.deregister(handle, false);
        return ops.detach(handle);
    }

    @Override
    public int adopt(DetachedSocket socket) throws IOException {
        int handle = ops.attach(socket);
        try {
            adopt(handle);
        } catch (IOException | RuntimeException e) {
            ops.close(handle);
            throw e;
        }
        return handle;
    }

    @Override
    public int shutdownOutput(int handle) {
        counters.increment(SYSCALLS);
        return ops.shutdownOutput(handle);
    }

    @Override
    public MemorySegment recvBuffer(int bufferId) {
        return buffers.segment(bufferId);
    }

    @Override
    public void releaseRecvBuffer(int bufferId) {
        recycle(bufferId);
    }

    /**
     * Returns a buffer to the pool and wakes the first handle waiting for one. Every return goes
     * through here, including a buffer a woken waiter did not need after all (its socket turned out
     * empty): otherwise the other waiters would sleep with a free buffer in the pool.
     */
    private void recycle(int bufferId) {
        buffers.give(bufferId);
        while (!bufferWaiters.isEmpty()) {
            HandleState waiter = bufferWaiters.poll();
            if (!waiter.closed && waiter.waitingForBuffer) {
                waiter.waitingForBuffer = false;
                enqueue(waiter);
                return;
            }
        }
    }

    @Override
    public int poll(CompletionHandler handler, long timeoutNanos) throws IOException {
        runReadyHandles();
        long now = System.nanoTime();
        long waitNanos = completions.isEmpty() && ready.isEmpty() ? timers.waitNanos(timeoutNanos, now) : 0;
        counters.increment(POLLS);
        counters.increment(SYSCALLS);
        poller.wait(waitNanos, onReady);
        long wakeups = poller.wakeupsObserved();
        if (wakeups != wakeupsCounted) {
            counters.add(WAKEUPS, wakeups - wakeupsCounted);
            wakeupsCounted = wakeups;
        }
        if (timers.size() > 0) {
            timers.expire(System.nanoTime(), completions);
        }
        int delivered = 0;
        while (delivered < DELIVERIES_PER_POLL && !completions.isEmpty()) {
            completions.deliverOne(handler);
            delivered++;
        }
        counters.add(COMPLETIONS, delivered);
        return delivered;
    }

    @Override
    public void wakeup() {
        poller.wakeup();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (HandleState state : handles) {
            if (state != null) {
                poller.deregister(state.handle, true);
                ops.close(state.handle);
            }
        }
        Arrays.fill(handles, null);
        poller.close();
        // NATIVE: every operation that could touch the receive buffers ran synchronously, so the slab
        // can be freed now; the arena is confined to this (the loop) thread.
        arena.close();
    }

    private void onReady(int handle, int events) {
        HandleState state = state(handle);
        if (state == null) {
            return; // closed earlier in this batch; the event is stale
        }
        if ((events & (Poller.READABLE | Poller.ERROR | Poller.HANGUP)) != 0) {
            state.readReady = true;
        }
        if ((events & (Poller.WRITABLE | Poller.ERROR | Poller.HANGUP)) != 0) {
            state.writeReady = true;
        }
        if ((events & (Poller.HANGUP | Poller.ERROR)) != 0) {
            state.peerClosed = true;
        }
        service(state);
    }

    /**
     * The poller could not watch the handle after all (a deferred registration failed): no readiness
     * will ever be reported for it, so its operations, pending and future, fail with that errno rather
     * than wait forever. The owner then closes it.
     */
    private void onLost(int handle, int errno) {
        HandleState state = state(handle);
        if (state != null) {
            state.failure = -errno;
            service(state);
        }
    }

    private void service(HandleState state) {
        if (state.closed) {
            return;
        }
        if (state.failure != 0) {
            completeAll(state, state.failure);
            updateInterest(state);
            return;
        }
        if (state.writeKind != WRITE_NONE && state.writeReady) {
            write(state);
        }
        if (state.readReady) {
            if (state.acceptTag != NONE) {
                acceptSome(state);
            } else if (state.recvTag != NONE && !state.waitingForBuffer) {
                receiveSome(state);
            }
        }
        updateInterest(state);
    }

    private void acceptSome(HandleState listener) {
        for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
            counters.increment(SYSCALLS);
            int handle = ops.accept(listener.handle);
            if (handle == -Errno.EAGAIN) {
                listener.readReady = false;
                return;
            }
            if (handle < 0) {
                long tag = listener.acceptTag;
                listener.acceptTag = NONE;
                completions.add(tag, handle, 0);
                return;
            }
            try {
                adopt(handle);
            } catch (IOException | RuntimeException e) {
                ops.close(handle);
                long tag = listener.acceptTag;
                listener.acceptTag = NONE;
                completions.add(tag, e instanceof ErrnoException failed ? -failed.errno() : -Errno.EIO, 0);
                return;
            }
            completions.add(listener.acceptTag, handle, Completions.MORE);
        }
        enqueue(listener);
    }

    private void receiveSome(HandleState state) {
        for (int i = 0; i < RECVS_PER_ROUND; i++) {
            int bufferId = buffers.take();
            if (bufferId < 0) {
                state.waitingForBuffer = true;
                bufferWaiters.add(state);
                counters.increment(RECV_BUFFERS_EXHAUSTED);
                return;
            }
            counters.increment(SYSCALLS);
            long received = ops.recv(state.handle, buffers.segment(bufferId));
            if (received == -Errno.EAGAIN) {
                recycle(bufferId);
                state.readReady = false;
                return;
            }
            if (received <= 0) {
                recycle(bufferId);
                long tag = state.recvTag;
                state.recvTag = NONE;
                completions.add(tag, (int) received, 0);
                return;
            }
            counters.add(BYTES_RECEIVED, received);
            completions.add(state.recvTag, (int) received, Completions.withBuffer(bufferId, true));
            if (received < buffers.size() && !state.peerClosed) {
                // Drained: an edge-triggered poller reports the next arrival. After a hang-up there
                // is no next edge, so keep reading until end of stream instead.
                state.readReady = false;
                return;
            }
        }
        enqueue(state);
    }

    private void write(HandleState state) {
        counters.increment(SYSCALLS);
        long requested;
        long written;
        switch (state.writeKind) {
            case WRITE_SEND -> {
                requested = state.writeLength;
                written = ops.send(state.handle, state.writeBuffer, state.writeOffset, state.writeLength,
                        state.writeMore);
            }
            case WRITE_SENDV -> {
                requested = IoVecs.totalLength(state.writeBuffer, state.writeLength);
                written = ops.sendv(state.handle, state.writeBuffer, state.writeLength);
            }
            default -> {
                requested = state.writeLength;
                written = ops.sendfile(state.handle, state.writeFile, state.writeOffset, state.writeLength);
            }
        }
        if (written == -Errno.EAGAIN) {
            state.writeReady = false;
            return;
        }
        long tag = state.writeTag;
        boolean fromFile = state.writeKind == WRITE_SENDFILE;
        clearWrite(state);
        if (written > 0) {
            counters.add(BYTES_SENT, written);
            if (fromFile) {
                counters.add(SENDFILE_BYTES, written);
            }
            if (written < requested && !fromFile) {
                // The socket buffer filled up. Not so for sendfile, which also stops short at the end
                // of a file that shrank: waiting for an edge there would wait forever, so the next
                // attempt finds out (EAGAIN, or 0 at end of file).
                state.writeReady = false;
            }
        }
        completions.add(tag, (int) written, 0);
    }

    private void runReadyHandles() {
        for (int n = ready.size(); n > 0; n--) {
            HandleState state = ready.poll();
            state.queued = false;
            service(state);
        }
    }

    private HandleState submit(int handle, long tag) {
        counters.increment(SUBMISSIONS);
        HandleState state = state(handle);
        if (state == null) {
            completions.add(tag, -Errno.EBADF, 0);
        }
        return state;
    }

    private HandleState submitWrite(int handle, long tag, int kind) {
        HandleState state = submit(handle, tag);
        if (state == null) {
            return null;
        }
        if (state.writeKind != WRITE_NONE) {
            throw new IllegalStateException("a write is already pending on handle " + handle);
        }
        state.writeKind = kind;
        state.writeTag = tag;
        return state;
    }

    private void cancelAll(HandleState state) {
        completeAll(state, -Errno.ECANCELED);
    }

    /** Ends every pending operation of {@code state} with {@code result}. */
    private void completeAll(HandleState state, int result) {
        if (state.acceptTag != NONE) {
            completions.add(state.acceptTag, result, 0);
            state.acceptTag = NONE;
        }
        if (state.recvTag != NONE) {
            completions.add(state.recvTag, result, 0);
            state.recvTag = NONE;
            state.waitingForBuffer = false;
        }
        if (state.writeKind != WRITE_NONE) {
            completions.add(state.writeTag, result, 0);
            clearWrite(state);
        }
    }

    private static void clearWrite(HandleState state) {
        state.writeKind = WRITE_NONE;
        state.writeTag = NONE;
        state.writeBuffer = null;
        state.writeFile = null;
    }

    private void updateInterest(HandleState state) {
        boolean read = state.acceptTag != NONE || (state.recvTag != NONE && !state.waitingForBuffer);
        boolean write = state.writeKind != WRITE_NONE;
        if (read != state.wantRead || write != state.wantWrite) {
            state.wantRead = read;
            state.wantWrite = write;
            poller.interest(state.handle, read, write);
        }
    }

    private void enqueue(HandleState state) {
        if (!state.queued) {
            state.queued = true;
            ready.add(state);
        }
    }

    private void adopt(int handle) throws IOException {
        if (handle >= handles.length) {
            handles = Arrays.copyOf(handles, Math.max(handle + 1, handles.length * 2));
        }
        poller.register(handle);
        handles[handle] = new HandleState(handle);
    }

    private HandleState state(int handle) {
        return handle >= 0 && handle < handles.length ? handles[handle] : null;
    }
}

package dev.ringserver.io.uring;

import dev.ringserver.io.BufferSlab;
import dev.ringserver.io.CompletionHandler;
import dev.ringserver.io.Completions;
import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.Counters;
import dev.ringserver.io.IoCounter;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.io.NativeFileHandle;
import dev.ringserver.io.PendingCompletions;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxFiles;
import dev.ringserver.sys.linux.LinuxSocketSetup;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.sys.posix.PosixSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;

import static dev.ringserver.io.IoCounter.BYTES_RECEIVED;
import static dev.ringserver.io.IoCounter.BYTES_SENT;
import static dev.ringserver.io.IoCounter.COMPLETIONS;
import static dev.ringserver.io.IoCounter.CQ_OVERFLOWS;
import static dev.ringserver.io.IoCounter.POLLS;
import static dev.ringserver.io.IoCounter.RECV_BUFFERS_EXHAUSTED;
import static dev.ringserver.io.IoCounter.SENDFILE_BYTES;
import static dev.ringserver.io.IoCounter.SUBMISSIONS;
import static dev.ringserver.io.IoCounter.SYSCALLS;
import static dev.ringserver.io.IoCounter.WAKEUPS;
import static dev.ringserver.sys.linux.IoUringAbi.*;

/**
 * The io_uring {@link IoBackend}: operations map to SQEs, completions are CQEs.
 *
 * <p>Each {@link #poll} makes at most one {@code io_uring_enter}, which both submits everything
 * queued since the last one and waits (with {@code IORING_ENTER_EXT_ARG} for the timeout where the
 * kernel has it). Accept and receive are multishot; receives draw from a provided-buffer ring so idle
 * connections hold no memory. Where the kernel lacks a feature the backend degrades: single-shot
 * operations re-armed internally, per-operation buffers instead of the ring, a TIMEOUT SQE instead of
 * {@code EXT_ARG}. Another thread wakes the loop by writing to an eventfd that always has a read
 * pending in the ring.
 *
 * <p>Sockets stay non-blocking (the synchronous {@code sendfile} and fallback receive need that). A
 * consequence: io_uring arms a poll for a request only once, and when a retry after a wake-up still
 * finds no room it finishes the request in a worker thread, where a non-blocking socket answers
 * {@code EAGAIN}. The backend therefore follows every socket operation in an {@link OpSlots} slot
 * and resubmits it as a fresh request when that happens, so {@code EAGAIN} never reaches the caller.
 *
 * <p>User data: a caller's tag as-is for close and timeouts, or bit 63 set for everything the
 * backend follows (a slot index) and for its own operations (fixed values for the wake-up read, wait
 * timeouts and cancellations).
 *
 * <p>Confined to the event loop thread that created it, except {@link #wakeup()} and
 * {@link #counters()}.
 */
public final class IoUringBackend implements IoBackend {

    private static final System.Logger LOG = System.getLogger(IoUringBackend.class.getName());

    private static final long INTERNAL = Long.MIN_VALUE;
    private static final long WAKEUP = INTERNAL | (1L << 48);
    private static final long WAIT_TIMEOUT = INTERNAL | (2L << 48);
    private static final long IGNORED = INTERNAL | (3L << 48);
    private static final long SLOT_MASK = 0xFFFF_FFFFL;
    /** Which of a splice transfer's SQEs a CQE belongs to: bits 32 to 47 of the user data. */
    private static final int PHASE_SHIFT = 32;
    private static final long FILL = (long) SplicePipes.FILL << PHASE_SHIFT;
    private static final long DRAIN = (long) SplicePipes.DRAIN << PHASE_SHIFT;
    private static final long WRITABLE = (long) SplicePipes.WRITABLE << PHASE_SHIFT;
    private static final long[] SPLICE_PHASES = {FILL, DRAIN, WRITABLE};
    /**
     * Pipes per loop for spliced transfers (with {@code sync_sendfile} turned off). Each transfer holds
     * one until its chunk reached the socket; more transfers at once than this use sendfile(2).
     */
    private static final int SPLICE_PIPES = 64;
    /**
     * The pipe size asked for: the most one chunk (a file-to-pipe and a pipe-to-socket splice) moves.
     * 1 MiB is Linux's default {@code fs.pipe-max-size}.
     */
    private static final int SPLICE_PIPE_BYTES = 1 << 20;
    /** Smaller pipes are not used: measured, 64 KiB pipes cost about twice the CPU of sendfile(2). */
    private static final int SPLICE_PIPE_MIN_BYTES = 256 << 10;
    /** Chunks end on this boundary so a chunk fills whole pipe buffers (one page each). */
    private static final long SPLICE_PAGE = 4096;
    private static final int DELIVERIES_PER_POLL = 4096;
    private static final int POLLIN = 0x001;
    private static final int POLLOUT = 0x004;
    private static final long SHUTDOWN_DRAIN_NANOS = 2_000_000_000L;
    // NATIVE: the value 1 written to the wake-up eventfd by any thread; global and never modified.
    private static final MemorySegment ONE = Arena.global().allocateFrom(ValueLayout.JAVA_LONG, 1L);

    private final Arena arena;
    private final Ring ring;
    private final BufferSlab slab;
    private final BufferRing bufferRing;
    private final int eventFd;
    private final boolean multishotAccept;
    private final boolean multishotRecv;
    private final boolean extArg;
    private final boolean deferTaskrun;
    private final String features;
    private final Counters<IoCounter> counters = new Counters<>(IoCounter.class);
    private final OpSlots slots = new OpSlots();
    /** Pipes for spliced file transfers, or null when files go with sendfile(2) (the default). */
    private final SplicePipes pipes;
    private final PendingCompletions synthetic = new PendingCompletions();
    private final ArrayDeque<Integer> starved = new ArrayDeque<>();
    private final MemorySegment timespecs;
    private final MemorySegment wakeupBuffer;
    private final MemorySegment sendfileOffset;
    private CompletionHandler handler;
    private int buffersOut;
    private int inflight;
    /** TIMEOUT SQEs bounding a wait that have not completed (part of {@link #inflight}). */
    private int waitTimeouts;
    private boolean closing;

    IoUringBackend(IoConfig config, Set<String> probed) throws IOException {
        this(config, probed, SPLICE_PIPES);
    }

    /** @param splicePipes the most pipes for spliced transfers (tests use a small pool) */
    IoUringBackend(IoConfig config, Set<String> probed, int splicePipes) throws IOException {
        // NATIVE: the backend's arena is confined to this (the loop) thread. It owns the ring mappings,
        // the receive slab, the buffer ring and every scratch segment the kernel reads; it is closed
        // only after every in-flight operation has completed (see close()).
        this.arena = Arena.ofConfined();
        Ring createdRing = null;
        int createdEventFd = -1;
        try {
            IoUringFeatures chosen = IoUringFeatures.choose(probed, config);
            createdRing = Ring.create(arena, config.submissionQueueEntries(), chosen.cqEntries(), chosen.setupFlags());
            this.ring = createdRing;
            this.deferTaskrun = chosen.deferTaskrun();
            boolean ringRegistered = chosen.registeredRing() && ring.registerRingFd();
            this.extArg = chosen.extArg();
            this.slab = new BufferSlab(arena, config.recvBufferCount(), config.recvBufferSize());
            this.bufferRing = chosen.bufferRing() ? BufferRing.register(arena, ring.fd, 0, slab) : null;
            this.multishotAccept = chosen.multishotAccept();
            this.multishotRecv = chosen.multishotRecv();
            this.features = chosen.describe(ringRegistered, (ring.features & FEAT_NODROP) != 0, ring.sqEntries,
                    ring.cqEntries);
            this.timespecs = NativeMemory.allocate(arena, 16L * ring.sqEntries, 8);
            this.wakeupBuffer = NativeMemory.allocate(arena, 8, 8);
            this.sendfileOffset = NativeMemory.allocate(arena, 8, 8);
            // NATIVE: the pipes are descriptors of this backend, used on this thread; every one is closed
            // in close() once no splice can name it any more.
            this.pipes = chosen.splice()
                    ? new SplicePipes(arena, splicePipes, SPLICE_PIPE_BYTES, SPLICE_PIPE_MIN_BYTES, counters)
                    : null;
            createdEventFd = ErrnoException.check("eventfd",
                    LinuxFiles.eventfd(0, LinuxAbi.EFD_NONBLOCK | LinuxAbi.EFD_CLOEXEC));
            this.eventFd = createdEventFd;
        } catch (IOException | RuntimeException e) {
            if (createdEventFd >= 0) {
                PosixFiles.close(createdEventFd);
            }
            if (createdRing != null) {
                createdRing.close();
            }
            arena.close();
            throw e;
        }
        armWakeup();
    }

    @Override
    public String name() {
        return "io_uring";
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
        return LinuxSocketSetup.openListener(address, options.backlog(), options.reusePort());
    }

    @Override
    public InetSocketAddress localAddress(int handle) throws IOException {
        return LinuxSocketSetup.localAddress(handle);
    }

    @Override
    public InetSocketAddress remoteAddress(int handle) throws IOException {
        return LinuxSocketSetup.remoteAddress(handle);
    }

    @Override
    public void accept(int listener, long tag) {
        submitAccept(slots.allocate(OpSlots.ACCEPT, listener, tag));
    }

    @Override
    public void recv(int handle, long tag) {
        submitRecv(slots.allocate(OpSlots.RECV, handle, tag));
    }

    @Override
    public void send(int handle, MemorySegment buffer, long offset, int length, boolean more, long tag) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("io_uring sends need native memory, not a heap segment");
        }
        Objects.checkFromIndexSize(offset, length, buffer.byteSize());
        int slot = slots.allocate(OpSlots.SEND, handle, tag);
        slots.write(slot, buffer.address() + offset, length, LinuxAbi.sendFlags(more));
        submitWrite(slot);
    }

    @Override
    public void sendv(int handle, MemorySegment iovecs, int count, long tag) {
        if (!iovecs.isNative()) {
            throw new IllegalArgumentException("io_uring needs the iovec array in native memory");
        }
        int slot = slots.allocate(OpSlots.SENDV, handle, tag);
        slots.write(slot, iovecs.address(), count, 0);
        submitWrite(slot);
    }

    @Override
    public void sendfile(int handle, FileHandle file, long offset, int count, long tag) {
        SplicePipes.Pipe pipe = pipes != null && count > 0 ? pipes.acquire() : null;
        if (pipe != null) {
            int slot = slots.allocate(OpSlots.SPLICE, handle, tag);
            slots.sendfile(slot, file, offset, count);
            slots.pipe(slot, pipe.index);
            spliceChunk(slot, pipe);
            return;
        }
        // io_uring has no sendfile opcode. The socket is usually writable, so try sendfile(2) at once
        // and fall back to a POLL_ADD for writability when it would block.
        counters.increment(SUBMISSIONS);
        long sent = sendfileNow(handle, (NativeFileHandle) file, offset, count);
        if (sent != -Errno.EAGAIN) {
            synthetic.add(tag, (int) sent, 0);
            return;
        }
        int slot = slots.allocate(OpSlots.SENDFILE, handle, tag);
        slots.sendfile(slot, file, offset, count);
        pollWritable(slot);
    }

    @Override
    public void close(int handle, long tag) {
        int readSlot = slots.readSlot(handle);
        if (readSlot >= 0) {
            stopSlot(readSlot);
        }
        int writeSlot = slots.writeSlot(handle);
        if (writeSlot >= 0) {
            stopSlot(writeSlot);
        }
        slots.detachFd(handle);
        if (writeSlot >= 0 && slots.kind(writeSlot) == OpSlots.SPLICE) {
            // NATIVE: a splice names its descriptors by number, and io_uring looks them up only when a
            // worker runs it (a linked one, after the previous SQE finished). Closed now, the number
            // could go to a new connection before a queued splice runs, and the splice would write this
            // file into that connection. So: cancel, and close once the transfer has ended.
            SplicePipes.Pipe pipe = pipes.get(slots.pipe(writeSlot));
            pipe.closeTag = tag;
            cancelSplice(writeSlot, pipe);
            prepare(OP_ASYNC_CANCEL, (byte) 0, (short) 0, handle, 0, 0, 0, ASYNC_CANCEL_FD | ASYNC_CANCEL_ALL,
                    IGNORED, (short) 0);
            return;
        }
        closeNow(handle, tag);
    }

    private void closeNow(int handle, long tag) {
        // Cancel whatever is still in flight on the descriptor (a pending receive would keep the socket
        // open forever), then close it; the hard link runs the close even when nothing was cancelled.
        ensureSqSpace(2);
        prepare(OP_ASYNC_CANCEL, SQE_IO_HARDLINK, (short) 0, handle, 0, 0, 0,
                ASYNC_CANCEL_FD | ASYNC_CANCEL_ALL, IGNORED, (short) 0);
        prepare(OP_CLOSE, (byte) 0, (short) 0, handle, 0, 0, 0, 0, tag, (short) 0);
    }

    @Override
    public void cancel(int handle, long tag) {
        int slot = slots.readSlot(handle);
        if (slot < 0 || slots.tag(slot) != tag) {
            slot = slots.writeSlot(handle);
        }
        if (slot >= 0 && slots.tag(slot) == tag) {
            stopSlot(slot);
            if (slots.kind(slot) == OpSlots.SPLICE) {
                cancelSplice(slot, pipes.get(slots.pipe(slot)));
            } else if (slots.kind(slot) != 0 && slots.state(slot) == OpSlots.CANCELLING) {
                prepare(OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0, INTERNAL | slot, 0, 0, IGNORED, (short) 0);
            }
        }
    }

    @Override
    public void timeout(long nanos, long tag) {
        long sqe = acquireSqe();
        long timespec = 16L * ring.sqeIndex(sqe);
        // The kernel copies the timespec while preparing the SQE inside io_uring_enter, so one timespec
        // per SQE slot is enough: a slot is reused only after the kernel consumed it.
        timespecs.set(ValueLayout.JAVA_LONG, timespec, Math.max(0, nanos) / 1_000_000_000L);
        timespecs.set(ValueLayout.JAVA_LONG, timespec + 8, Math.max(0, nanos) % 1_000_000_000L);
        ring.prepare(sqe, OP_TIMEOUT, (byte) 0, (short) 0, -1, 0, timespecs.address() + timespec, 1, 0, tag, (short) 0);
        submitted();
    }

    @Override
    public void cancelTimeout(long tag) {
        prepare(OP_TIMEOUT_REMOVE, (byte) 0, (short) 0, -1, 0, tag, 0, 0, IGNORED, (short) 0);
    }

    @Override
    public DetachedSocket detach(int handle) {
        if (slots.readSlot(handle) >= 0 || slots.writeSlot(handle) >= 0) {
            throw new IllegalStateException("handle " + handle + " has pending operations");
        }
        return new DetachedSocket.Native(handle);
    }

    @Override
    public int adopt(DetachedSocket socket) {
        return ((DetachedSocket.Native) socket).fd();
    }

    @Override
    public int shutdownOutput(int handle) {
        counters.increment(SYSCALLS);
        return PosixSockets.shutdown(handle, LinuxAbi.SHUT_WR);
    }

    @Override
    public MemorySegment recvBuffer(int bufferId) {
        return slab.segment(bufferId);
    }

    @Override
    public void releaseRecvBuffer(int bufferId) {
        buffersOut--;
        if (bufferRing != null) {
            bufferRing.recycle(bufferId);
        } else {
            slab.give(bufferId);
        }
    }

    @Override
    public int poll(CompletionHandler handler, long timeoutNanos) throws IOException {
        this.handler = handler;
        int delivered = 0;
        while (!synthetic.isEmpty() && delivered < DELIVERIES_PER_POLL) {
            synthetic.deliverOne(handler);
            delivered++;
        }
        rearmStarved();
        if (bufferRing != null) {
            bufferRing.publish();
        }
        boolean cqReady = !ring.cqEmpty();
        boolean wait = timeoutNanos != 0 && !cqReady && delivered == 0 && synthetic.isEmpty();
        if (wait && timeoutNanos > 0 && !extArg) {
            prepareWaitTimeout(timeoutNanos);
        }
        int toSubmit = ring.publish();
        int sqFlags = ring.sqFlags();
        if ((sqFlags & SQ_CQ_OVERFLOW) != 0) {
            noteOverflow();
        }
        if (toSubmit > 0 || wait || (deferTaskrun && !cqReady) || (sqFlags & (SQ_CQ_OVERFLOW | SQ_TASKRUN)) != 0) {
            enter(toSubmit, wait, timeoutNanos);
        }
        delivered += reap(DELIVERIES_PER_POLL - delivered);
        counters.add(COMPLETIONS, delivered);
        return delivered;
    }

    @Override
    public void wakeup() {
        PosixFiles.write(eventFd, ONE, 8);
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        handler = (tag, result, flags) -> { };
        prepare(OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0, 0, 0, ASYNC_CANCEL_ANY | ASYNC_CANCEL_ALL, IGNORED,
                (short) 0);
        long deadline = System.nanoTime() + SHUTDOWN_DRAIN_NANOS;
        try {
            // Wait timeouts reference no memory of ours: only the other operations must finish.
            while (inflight > waitTimeouts && System.nanoTime() - deadline < 0) {
                if (!extArg) {
                    prepareWaitTimeout(50_000_000L);
                }
                enter(ring.publish(), true, 50_000_000L);
                reap(Integer.MAX_VALUE);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "io_uring shutdown could not drain the ring", e);
        }
        if (inflight > waitTimeouts) {
            // The kernel may still write into the receive buffers: keeping the memory mapped is the only
            // safe choice. This happens only if operations ignore cancellation for seconds.
            LOG.log(System.Logger.Level.ERROR, "io_uring ring closed with " + (inflight - waitTimeouts)
                    + " operations still in flight; keeping its memory to stay safe");
            if (pipes != null) {
                // NATIVE: a pipe still in a splice stays open, as the memory does: its number must not be
                // reused while a worker may still look it up.
                pipes.close(false);
            }
            ring.close();
            PosixFiles.close(eventFd);
            return;
        }
        if (bufferRing != null) {
            bufferRing.unregister();
        }
        if (pipes != null) {
            pipes.close(true);
        }
        ring.close();
        PosixFiles.close(eventFd);
        arena.close();
    }

    // ---- submission

    private void submitAccept(int slot) {
        prepare(OP_ACCEPT, (byte) 0, multishotAccept ? ACCEPT_MULTISHOT : 0, slots.fd(slot), 0, 0, 0,
                LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC, INTERNAL | slot, (short) 0);
        slots.state(slot, OpSlots.ARMED);
    }

    private void submitRecv(int slot) {
        int fd = slots.fd(slot);
        if (bufferRing != null) {
            prepare(OP_RECV, SQE_BUFFER_SELECT, multishotRecv ? RECV_MULTISHOT : 0, fd, 0, 0, 0, 0, INTERNAL | slot,
                    (short) bufferRing.groupId());
        } else {
            // Without a buffer ring, a receive armed with its own buffer would pin that buffer for as long
            // as the connection stays idle, and idle connections would starve active ones. Wait for data
            // instead and take a buffer only then.
            prepare(OP_POLL_ADD, (byte) 0, (short) 0, fd, 0, 0, 0, POLLIN, INTERNAL | slot, (short) 0);
        }
        slots.state(slot, OpSlots.ARMED);
    }

    private void submitWrite(int slot) {
        if (slots.kind(slot) == OpSlots.SEND) {
            prepare(OP_SEND, (byte) 0, (short) 0, slots.fd(slot), 0, slots.offset(slot), slots.count(slot),
                    slots.sendFlags(slot), INTERNAL | slot, (short) 0);
        } else {
            prepare(OP_WRITEV, (byte) 0, (short) 0, slots.fd(slot), 0, slots.offset(slot), slots.count(slot), 0,
                    INTERNAL | slot, (short) 0);
        }
        slots.state(slot, OpSlots.ARMED);
    }

    private void pollWritable(int slot) {
        prepare(OP_POLL_ADD, (byte) 0, (short) 0, slots.fd(slot), 0, 0, 0, POLLOUT, INTERNAL | slot, (short) 0);
        slots.state(slot, OpSlots.ARMED);
    }

    /**
     * Bounds the next wait with a TIMEOUT SQE (kernels without {@code EXT_ARG}). At most one is pending:
     * one that outlives its wait would otherwise be followed by another, and another, forever.
     */
    private void prepareWaitTimeout(long nanos) {
        if (waitTimeouts == 0) {
            prepare(OP_TIMEOUT, (byte) 0, (short) 0, -1, 0, ring.waitTimespec(nanos), 1, 0, WAIT_TIMEOUT, (short) 0);
            waitTimeouts++;
        }
    }

    private void armWakeup() {
        prepare(OP_READ, (byte) 0, (short) 0, eventFd, 0, wakeupBuffer.address(), 8, 0, WAKEUP, (short) 0);
    }

    private void starve(int slot) {
        slots.state(slot, OpSlots.STARVED);
        starved.add(slot);
        counters.increment(RECV_BUFFERS_EXHAUSTED);
    }

    private void rearmStarved() {
        for (int budget = buffersAvailable(); budget > 0 && !starved.isEmpty(); ) {
            int slot = starved.poll();
            if (slots.kind(slot) == OpSlots.RECV && slots.state(slot) == OpSlots.STARVED) {
                submitRecv(slot);
                budget--;
            }
        }
    }

    private int buffersAvailable() {
        return bufferRing != null ? slab.count() - buffersOut : slab.available();
    }

    /** Stops a slot's operation from being re-armed; a starved one ends at once with -ECANCELED. */
    private void stopSlot(int slot) {
        if (slots.state(slot) == OpSlots.STARVED) {
            synthetic.add(slots.tag(slot), -Errno.ECANCELED, 0);
            slots.release(slot);
        } else {
            slots.state(slot, OpSlots.CANCELLING);
        }
    }

    private void prepare(byte opcode, byte sqeFlags, short ioprio, int fd, long offset, long address, int length,
                         int opFlags, long userData, short bufferGroup) {
        ring.prepare(acquireSqe(), opcode, sqeFlags, ioprio, fd, offset, address, length, opFlags, userData, bufferGroup);
        submitted();
    }

    private void submitted() {
        inflight++;
        counters.increment(SUBMISSIONS);
    }

    private long acquireSqe() {
        long sqe = ring.nextSqe();
        for (int attempt = 0; sqe < 0; attempt++) {
            if (attempt == 10_000) {
                throw new IllegalStateException("io_uring submission queue stays full: the kernel accepts no SQEs");
            }
            submitNow();
            sqe = ring.nextSqe();
        }
        return sqe;
    }

    private void ensureSqSpace(int entries) {
        // Linked SQEs must be submitted together, so make room for the whole chain first.
        long free = ring.sqEntries - ring.publish();
        if (free < entries) {
            submitNow();
        }
    }

    private void submitNow() {
        counters.increment(SYSCALLS);
        if (ring.submit() <= 0) {
            Thread.onSpinWait();
        }
    }

    private void enter(int toSubmit, boolean wait, long timeoutNanos) throws ErrnoException {
        counters.increment(SYSCALLS);
        counters.increment(POLLS);
        ring.submitAndGet(toSubmit, wait, wait && extArg ? timeoutNanos : 0);
    }

    private void noteOverflow() {
        counters.increment(CQ_OVERFLOWS);
        long overflows = counters.get(CQ_OVERFLOWS);
        if (Long.bitCount(overflows) == 1) { // log the 1st, 2nd, 4th, 8th, ... occurrence
            LOG.log(System.Logger.Level.WARNING, "io_uring completion queue overflowed (" + overflows
                    + " times so far, " + ring.cqDropped() + " completions dropped); consider a larger "
                    + "completion queue than " + ring.cqEntries + " entries");
        }
    }

    // ---- completion

    private int reap(int limit) {
        int head = ring.cqHead();
        int tail = ring.cqTail();
        int delivered = 0;
        while (head != tail && delivered < limit) {
            long userData = ring.cqeUserData(head);
            int result = ring.cqeResult(head);
            int flags = ring.cqeFlags(head);
            head++;
            if (head == tail) {
                ring.cqAdvance(head);
                tail = ring.cqTail();
            }
            delivered += dispatch(userData, result, flags);
        }
        ring.cqAdvance(head);
        return delivered;
    }

    /** Handles one CQE; returns 1 when it produced a completion for the caller. */
    private int dispatch(long userData, int result, int flags) {
        boolean more = (flags & CQE_F_MORE) != 0;
        if (!more) {
            inflight--;
        }
        if (userData >= 0) {
            handler.complete(userData, result, 0);
            return 1;
        }
        if (userData == WAKEUP) {
            counters.increment(WAKEUPS);
            if (!closing) {
                armWakeup();
            }
            return 0;
        }
        if (userData == WAIT_TIMEOUT) {
            waitTimeouts--;
            return 0;
        }
        if (userData == IGNORED) {
            return 0;
        }
        int slot = (int) (userData & SLOT_MASK);
        return switch (slots.kind(slot)) {
            case OpSlots.ACCEPT -> acceptCompleted(slot, result, more);
            case OpSlots.RECV -> recvCompleted(slot, result, flags, more);
            case OpSlots.SENDFILE -> sendfileWritable(slot, result);
            case OpSlots.SPLICE -> spliceCompleted(slot, (int) (userData >>> PHASE_SHIFT) & 0xFFFF, result);
            case OpSlots.SEND, OpSlots.SENDV -> writeCompleted(slot, result);
            default -> 0;
        };
    }

    /** True when an operation came back with EAGAIN and was submitted again (see the class comment). */
    private boolean resubmittedAfterEagain(int slot, int result) {
        if (result != -Errno.EAGAIN || slots.state(slot) != OpSlots.ARMED || closing) {
            return false;
        }
        switch (slots.kind(slot)) {
            case OpSlots.ACCEPT -> submitAccept(slot);
            case OpSlots.RECV -> submitRecv(slot);
            default -> submitWrite(slot);
        }
        return true;
    }

    private int writeCompleted(int slot, int result) {
        if (resubmittedAfterEagain(slot, result)) {
            return 0;
        }
        long tag = slots.tag(slot);
        slots.release(slot);
        if (result > 0) {
            counters.add(BYTES_SENT, result);
        }
        handler.complete(tag, result, 0);
        return 1;
    }

    private int acceptCompleted(int slot, int result, boolean more) {
        if (!more && resubmittedAfterEagain(slot, result)) {
            return 0;
        }
        long tag = slots.tag(slot);
        if (closing && result >= 0) {
            PosixFiles.close(result); // accepted while shutting down: nobody will own it
        }
        boolean armed = more;
        if (result >= 0 && !more && slots.state(slot) == OpSlots.ARMED && !closing) {
            submitAccept(slot); // single-shot accept, or the kernel ended the multishot: keep accepting
            armed = true;
        }
        if (!armed) {
            slots.release(slot);
        }
        handler.complete(tag, result, armed ? Completions.MORE : 0);
        return 1;
    }

    private int recvCompleted(int slot, int result, int flags, boolean more) {
        if (bufferRing == null) {
            return readableCompleted(slot, result);
        }
        long tag = slots.tag(slot);
        if (result > 0) {
            int bufferId = flags >>> CQE_BUFFER_SHIFT;
            buffersOut++;
            counters.add(BYTES_RECEIVED, result);
            boolean armed = more;
            if (!more && slots.state(slot) == OpSlots.ARMED && !closing) {
                submitRecv(slot);
                armed = true;
            }
            if (!armed) {
                slots.release(slot);
            }
            handler.complete(tag, result, Completions.withBuffer(bufferId, armed));
            return 1;
        }
        if (result == -Errno.ENOBUFS && slots.state(slot) == OpSlots.ARMED && !closing) {
            if (!more) {
                starve(slot); // the buffer ring ran dry: resume once buffers are released
            }
            return 0;
        }
        if (more || resubmittedAfterEagain(slot, result)) {
            return 0;
        }
        slots.release(slot);
        handler.complete(tag, result == -Errno.ENOBUFS ? -Errno.ECANCELED : result, 0);
        return 1;
    }

    /** The fallback without a buffer ring: the socket is readable, so receive now into a free buffer. */
    private int readableCompleted(int slot, int pollResult) {
        long tag = slots.tag(slot);
        boolean armed = slots.state(slot) == OpSlots.ARMED && !closing;
        if (pollResult < 0 || !armed) {
            slots.release(slot);
            handler.complete(tag, pollResult < 0 ? pollResult : -Errno.ECANCELED, 0);
            return 1;
        }
        int bufferId = slab.take();
        if (bufferId < 0) {
            starve(slot);
            return 0;
        }
        MemorySegment buffer = slab.segment(bufferId);
        counters.increment(SYSCALLS);
        long received = PosixSockets.recv(slots.fd(slot), buffer, 0, buffer.byteSize(), 0);
        if (received == -Errno.EAGAIN) {
            slab.give(bufferId);
            submitRecv(slot);
            return 0;
        }
        if (received <= 0) {
            slab.give(bufferId);
            slots.release(slot);
            handler.complete(tag, (int) received, 0);
            return 1;
        }
        buffersOut++;
        counters.add(BYTES_RECEIVED, received);
        submitRecv(slot);
        handler.complete(tag, (int) received, Completions.withBuffer(bufferId, true));
        return 1;
    }

    private int sendfileWritable(int slot, int pollResult) {
        long tag = slots.tag(slot);
        long sent = pollResult < 0 ? pollResult : slots.state(slot) == OpSlots.ARMED
                ? sendfileNow(slots.fd(slot), (NativeFileHandle) slots.file(slot), slots.offset(slot), slots.count(slot))
                : -Errno.ECANCELED;
        if (sent == -Errno.EAGAIN && !closing) {
            pollWritable(slot);
            return 0;
        }
        slots.release(slot);
        handler.complete(tag, (int) sent, 0);
        return 1;
    }

    private long sendfileNow(int handle, NativeFileHandle file, long offset, int count) {
        counters.increment(SYSCALLS);
        sendfileOffset.set(ValueLayout.JAVA_LONG, 0, offset);
        long sent = LinuxFiles.sendfile(handle, file.fd(), sendfileOffset, count);
        if (sent > 0) {
            counters.add(BYTES_SENT, sent);
            counters.add(SENDFILE_BYTES, sent);
        }
        return sent;
    }

    // ---- spliced file transfers

    /**
     * Submits one chunk: a file-to-pipe SPLICE at the file offset linked to a pipe-to-socket SPLICE.
     * The chunk is at most what the pipe holds and ends on a page boundary of the file, so that a
     * complete file is never cut short by the pipe. A short first splice (end of file, an error) breaks
     * the link: the second then ends with {@code -ECANCELED}, and whatever reached the pipe is drained
     * by another splice.
     */
    private void spliceChunk(int slot, SplicePipes.Pipe pipe) {
        long offset = slots.offset(slot);
        int chunk = (int) Math.min(slots.count(slot), pipe.capacity - (offset & (SPLICE_PAGE - 1)));
        pipe.start(chunk);
        pipe.pending = SplicePipes.FILL | SplicePipes.DRAIN;
        ensureSqSpace(2);
        prepareSplice(SQE_IO_LINK, pipe.writeFd, ((NativeFileHandle) slots.file(slot)).fd(), offset, chunk,
                INTERNAL | FILL | slot);
        prepareSplice((byte) 0, slots.fd(slot), pipe.readFd, -1, chunk, INTERNAL | DRAIN | slot);
    }

    /** A SPLICE SQE carries its offsets and length by value: it references no memory of ours. */
    private void prepareSplice(byte sqeFlags, int fdOut, int fdIn, long offsetIn, int length, long userData) {
        ring.prepareSplice(acquireSqe(), sqeFlags, fdOut, fdIn, offsetIn, length, 0, userData);
        submitted();
    }

    /** Cancels a transfer's SQEs in flight; it ends once their CQEs are in. */
    private void cancelSplice(int slot, SplicePipes.Pipe pipe) {
        for (long phase : SPLICE_PHASES) {
            if ((pipe.pending & (int) (phase >>> PHASE_SHIFT)) != 0) {
                prepare(OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0, INTERNAL | phase | slot, 0, 0, IGNORED,
                        (short) 0);
            }
        }
    }

    private int spliceCompleted(int slot, int phase, int result) {
        SplicePipes.Pipe pipe = pipes.get(slots.pipe(slot));
        pipe.pending &= ~phase;
        switch (phase) {
            case SplicePipes.FILL -> {
                if (result > 0) {
                    pipe.inPipe += result;
                } else if (result < 0 && result != -Errno.ECANCELED) {
                    pipe.error = result;
                }
            }
            case SplicePipes.DRAIN -> {
                if (result > 0) {
                    pipe.inPipe -= result;
                    pipe.sent += result;
                    counters.add(BYTES_SENT, result);
                    counters.add(SENDFILE_BYTES, result);
                    pipe.socketFull = pipe.inPipe > 0;
                } else if (result == -Errno.EAGAIN) {
                    pipe.socketFull = true; // see the class comment: a worker met a full socket
                } else if (result == 0) {
                    pipe.error = -Errno.EIO; // bytes in the pipe, yet none moved: never expected; do not spin
                } else if (result != -Errno.ECANCELED) {
                    pipe.error = result; // ECANCELED: the fill was short (the link broke) or a cancel
                }
            }
            default -> { // WRITABLE
                pipe.socketFull = false;
                if (result < 0 && result != -Errno.ECANCELED) {
                    pipe.error = result;
                }
            }
        }
        return pipe.pending == 0 ? spliceNext(slot, pipe) : 0;
    }

    /** Moves a transfer on once none of its SQEs is in flight: drain the pipe, or end. */
    private int spliceNext(int slot, SplicePipes.Pipe pipe) {
        boolean stopped = slots.state(slot) != OpSlots.ARMED || closing;
        if (!stopped && pipe.error == 0 && pipe.inPipe > 0) {
            if (pipe.socketFull) {
                pipe.pending = SplicePipes.WRITABLE;
                prepare(OP_POLL_ADD, (byte) 0, (short) 0, slots.fd(slot), 0, 0, 0, POLLOUT, INTERNAL | WRITABLE | slot,
                        (short) 0);
            } else {
                pipe.pending = SplicePipes.DRAIN;
                prepareSplice((byte) 0, slots.fd(slot), pipe.readFd, -1, pipe.inPipe, INTERNAL | DRAIN | slot);
            }
            return 0;
        }
        if (!stopped && pipe.error == -Errno.EAGAIN && pipe.sent == 0 && pipe.inPipe == 0) {
            // The file would not give its pages without blocking (never seen for regular files): send
            // this request with sendfile(2) instead, never handing EAGAIN to the caller.
            pipes.release(pipe);
            slots.kind(slot, OpSlots.SENDFILE);
            return sendfileWritable(slot, POLLOUT);
        }
        long tag = slots.tag(slot);
        int fd = slots.fd(slot);
        long closeTag = pipe.closeTag;
        int result = pipe.sent > 0 ? pipe.sent : stopped ? -Errno.ECANCELED : pipe.error;
        if (pipe.inPipe == 0 && pipe.error == 0) {
            pipes.release(pipe);
        } else {
            pipes.discard(pipe); // it may hold bytes that will never be read
        }
        slots.release(slot);
        handler.complete(tag, result, 0);
        if (closeTag >= 0) {
            closeNow(fd, closeTag);
        }
        return 1;
    }

    /** The pipes of spliced transfers, or null (for tests). */
    SplicePipes splicePipes() {
        return pipes;
    }
}

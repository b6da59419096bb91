package dev.ringserver.io.uring;

import dev.ringserver.sys.Errno;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxIoUring;
import dev.ringserver.sys.linux.LinuxMemory;
import dev.ringserver.sys.posix.PosixFiles;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.ringserver.sys.linux.IoUringAbi.*;

/**
 * One io_uring instance: the ring file descriptor and the mmapped submission queue, SQE array and
 * completion queue, accessed directly (no liburing).
 *
 * <p>Memory ordering follows the kernel's contract: SQEs are written with plain stores and published
 * by a release store of the SQ tail; the kernel's SQ head is read with acquire. The CQ tail is read
 * with acquire before CQEs are read, and the CQ head is advanced with a release store after they have
 * been copied out.
 *
 * <p>Confined to the thread that created it (rings are set up with {@code SINGLE_ISSUER} when the
 * kernel has it).
 */
final class Ring implements AutoCloseable {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    final int fd;
    final int flags;
    final int features;
    final int sqEntries;
    final int cqEntries;
    private final MemorySegment rings;
    private final MemorySegment sqes;
    private final long sqHeadOffset;
    private final long sqTailOffset;
    private final long sqFlagsOffset;
    private final int sqMask;
    private final long cqHeadOffset;
    private final long cqTailOffset;
    private final long cqOverflowOffset;
    private final long cqesOffset;
    private final int cqMask;
    private final MemorySegment waitArgument;
    private final MemorySegment waitTimespec;
    private int enterFd;
    private int enterFlags;
    private int sqTail;
    private int cqHead;

    private Ring(int fd, int flags, int features, int sqEntries, int cqEntries, MemorySegment rings, MemorySegment sqes,
                 MemorySegment params, Arena arena) {
        this.fd = fd;
        this.enterFd = fd;
        this.flags = flags;
        this.features = features;
        this.sqEntries = sqEntries;
        this.cqEntries = cqEntries;
        this.rings = rings;
        this.sqes = sqes;
        // NATIVE: the getevents argument and the timespec it points to are read by the kernel during
        // each io_uring_enter only; they live in the ring's arena, on the ring's thread.
        this.waitArgument = NativeMemory.allocate(arena, GETEVENTS_ARG_SIZE, 8);
        this.waitTimespec = NativeMemory.allocate(arena, 16, 8);
        this.sqHeadOffset = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + RING_OFF_HEAD);
        this.sqTailOffset = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + RING_OFF_TAIL);
        this.sqFlagsOffset = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_FLAGS);
        this.sqMask = rings.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + RING_OFF_MASK));
        this.cqHeadOffset = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + RING_OFF_HEAD);
        this.cqTailOffset = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + RING_OFF_TAIL);
        this.cqOverflowOffset = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + CQ_OFF_OVERFLOW);
        this.cqesOffset = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + CQ_OFF_CQES);
        this.cqMask = rings.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + RING_OFF_MASK));
        this.sqTail = (int) INT.getAcquire(rings, sqTailOffset);
        this.cqHead = (int) INT.getAcquire(rings, cqHeadOffset);
        if ((flags & SETUP_NO_SQARRAY) == 0) {
            // The SQ index array maps ring slots to SQEs; the identity map never needs rewriting.
            long array = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_ARRAY);
            for (int i = 0; i < sqEntries; i++) {
                rings.set(ValueLayout.JAVA_INT, array + 4L * i, i);
            }
        }
    }

    /**
     * Creates a ring. The mappings belong to {@code arena} and are unmapped when it closes; the ring
     * fd is closed by {@link #close()}.
     *
     * @param cqEntries the completion queue size ({@code IORING_SETUP_CQSIZE}, clamped to the kernel's
     *                  maximum), or 0 for the kernel's default of twice the submission queue
     *
     * @return the ring, or throws with the errno of {@code io_uring_setup}
     */
    static Ring create(Arena arena, int entries, int cqEntries, int setupFlags) throws ErrnoException {
        // NATIVE: io_uring_params is read and written by the kernel only during io_uring_setup; it
        // lives in a short confined arena.
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment params = setup.allocate(PARAMS_SIZE, 8);
            int flags = setupFlags;
            if (cqEntries > 0) {
                flags |= SETUP_CQSIZE | SETUP_CLAMP;
                params.set(ValueLayout.JAVA_INT, PARAMS_CQ_ENTRIES, cqEntries);
            }
            params.set(ValueLayout.JAVA_INT, PARAMS_FLAGS, flags);
            int fd = LinuxIoUring.setup(entries, params);
            if (fd < 0) {
                throw new ErrnoException("io_uring_setup", -fd);
            }
            try {
                return map(arena, fd, flags, params);
            } catch (ErrnoException | RuntimeException e) {
                PosixFiles.close(fd);
                throw e;
            }
        }
    }

    private static Ring map(Arena arena, int fd, int flags, MemorySegment params) throws ErrnoException {
        int features = params.get(ValueLayout.JAVA_INT, PARAMS_FEATURES);
        if ((features & FEAT_SINGLE_MMAP) == 0) {
            throw new ErrnoException("io_uring_setup", dev.ringserver.sys.Errno.EINVAL,
                    "the kernel lacks IORING_FEAT_SINGLE_MMAP (Linux 5.4); ringserver needs Linux 5.19 or newer for io_uring");
        }
        int sqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_ENTRIES);
        int cqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_ENTRIES);
        long sqArray = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_ARRAY);
        long sqRingSize = sqArray + 4L * sqEntries;
        long cqRingSize = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + CQ_OFF_CQES) + (long) CQE_SIZE * cqEntries;
        long ringSize = Math.max(sqRingSize, cqRingSize);
        MemorySegment rings = mapShared(arena, fd, ringSize, OFF_SQ_RING);
        MemorySegment sqes = mapShared(arena, fd, (long) SQE_SIZE * sqEntries, OFF_SQES);
        return new Ring(fd, flags, features, sqEntries, cqEntries, rings, sqes, params, arena);
    }

    private static MemorySegment mapShared(Arena arena, int fd, long size, long offset) throws ErrnoException {
        MemorySegment address = LinuxMemory.mmap(size, LinuxAbi.PROT_READ | LinuxAbi.PROT_WRITE,
                LinuxAbi.MAP_SHARED | LinuxAbi.MAP_POPULATE, fd, offset);
        // NATIVE: the ring mapping is shared with the kernel for the ring's whole life; it belongs to the
        // backend's arena and is unmapped when that arena closes, after the ring fd was closed.
        return NativeMemory.track(address.reinterpret(size, arena, m -> LinuxMemory.munmap(m, size)), arena);
    }

    /**
     * Registers the ring fd with itself so {@code io_uring_enter} can skip the file-table lookup.
     *
     * @return whether the kernel accepted it
     */
    boolean registerRingFd() {
        // NATIVE: io_uring_rsrc_update is copied by the kernel during the synchronous register call.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment update = arena.allocate(RSRC_UPDATE_SIZE, 8);
            update.set(ValueLayout.JAVA_INT, 0, -1);
            update.set(ValueLayout.JAVA_LONG, 8, fd);
            int rc = LinuxIoUring.register(fd, REGISTER_RING_FDS, update, 1);
            if (rc != 1) {
                return false;
            }
            enterFd = update.get(ValueLayout.JAVA_INT, 0);
            enterFlags = ENTER_REGISTERED_RING;
            return true;
        }
    }

    /** The SQE array; a prepared entry starts at the offset {@link #nextSqe()} returned. */
    MemorySegment sqes() {
        return sqes;
    }

    /**
     * Reserves the next SQE and returns its byte offset in {@link #sqes()}, or -1 when the queue is full
     * and must be submitted first. The caller writes every field before the next {@link #enter}.
     */
    long nextSqe() {
        int head = (int) INT.getAcquire(rings, sqHeadOffset);
        if (sqTail - head == sqEntries) {
            return -1;
        }
        long offset = (long) (sqTail & sqMask) * SQE_SIZE;
        sqTail++;
        return offset;
    }

    /** The index (0 to entries - 1) of the SQE at {@code offset}. */
    int sqeIndex(long offset) {
        return (int) (offset / SQE_SIZE);
    }

    /**
     * Writes every field of the SQE at {@code sqe} (an offset from {@link #nextSqe()}); fields an opcode
     * does not use are zeroed, as the kernel rejects stray values.
     */
    void prepare(long sqe, byte opcode, byte sqeFlags, short ioprio, int fd, long offset, long address, int length,
                 int opFlags, long userData, short bufferGroup) {
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_OPCODE, opcode);
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS, sqeFlags);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_IOPRIO, ioprio);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_OFF, offset);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR, address);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_LEN, length);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_OP_FLAGS, opFlags);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_USER_DATA, userData);
        // buf_group (u16), personality (u16) and splice_fd_in (s32) share one 8-byte word.
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_BUF_GROUP, bufferGroup & 0xFFFFL);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR3, 0L);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR3 + 8, 0L);
    }

    /**
     * Writes a SPLICE SQE at {@code sqe}: moves up to {@code length} bytes from {@code fdIn} (at
     * {@code offsetIn}, or -1 for a pipe) to {@code fdOut} (at its current position; sockets and pipes
     * have none). Every field is written, as in {@link #prepare}.
     */
    void prepareSplice(long sqe, byte sqeFlags, int fdOut, int fdIn, long offsetIn, int length, int spliceFlags,
                       long userData) {
        prepare(sqe, OP_SPLICE, sqeFlags, (short) 0, fdOut, -1L, offsetIn, length, spliceFlags, userData, (short) 0);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_SPLICE_FD_IN, fdIn);
    }

    /** Publishes prepared SQEs to the kernel and returns how many it has not consumed yet. */
    int publish() {
        INT.setRelease(rings, sqTailOffset, sqTail);
        return sqTail - (int) INT.getAcquire(rings, sqHeadOffset);
    }

    /**
     * {@code io_uring_enter} on this ring.
     *
     * @return SQEs consumed, or -errno
     */
    int enter(int toSubmit, int minComplete, int enterFlagBits, MemorySegment argument, long argumentSize) {
        return LinuxIoUring.enter(enterFd, toSubmit, minComplete, enterFlagBits | enterFlags, argument, argumentSize);
    }

    /**
     * Submits what is published without waiting, to make room in a full submission queue.
     *
     * @return SQEs consumed (0 or less means the kernel took none)
     */
    int submit() {
        int rc = enter(publish(), 0, 0, MemorySegment.NULL, 0);
        if (rc < 0 && rc != -Errno.EINTR && rc != -Errno.EAGAIN && rc != -Errno.EBUSY) {
            throw new IllegalStateException(new ErrnoException("io_uring_enter(submit)", -rc));
        }
        return rc;
    }

    /**
     * Submits {@code toSubmit} SQEs and reaps completions ({@code GETEVENTS}); with {@code wait}, waits
     * for at least one, at most {@code timeoutNanos} when that is positive (through
     * {@code IORING_ENTER_EXT_ARG}; 0 waits without a limit or relies on a TIMEOUT SQE). Interruptions,
     * an expired wait and a full completion queue are not errors.
     */
    void submitAndGet(int toSubmit, boolean wait, long timeoutNanos) throws ErrnoException {
        int flags = ENTER_GETEVENTS;
        MemorySegment argument = MemorySegment.NULL;
        long argumentSize = 0;
        if (wait && timeoutNanos > 0) {
            waitArgument.set(ValueLayout.JAVA_LONG, GETEVENTS_ARG_TS, waitTimespec(timeoutNanos));
            argument = waitArgument;
            argumentSize = GETEVENTS_ARG_SIZE;
            flags |= ENTER_EXT_ARG;
        }
        int rc = enter(toSubmit, wait ? 1 : 0, flags, argument, argumentSize);
        if (rc < 0 && rc != -Errno.EINTR && rc != -Errno.ETIME && rc != -Errno.EAGAIN && rc != -Errno.EBUSY) {
            throw new ErrnoException("io_uring_enter", -rc);
        }
    }

    /**
     * Stores {@code nanos} in the ring's wait timespec and returns its address, for a wait argument or a
     * TIMEOUT SQE (the kernel copies it while it prepares the SQE, inside {@code io_uring_enter}).
     */
    long waitTimespec(long nanos) {
        waitTimespec.set(ValueLayout.JAVA_LONG, 0, nanos / 1_000_000_000L);
        waitTimespec.set(ValueLayout.JAVA_LONG, 8, nanos % 1_000_000_000L);
        return waitTimespec.address();
    }

    /** The kernel's SQ flags ({@code IORING_SQ_CQ_OVERFLOW}, {@code IORING_SQ_TASKRUN}). */
    int sqFlags() {
        return (int) INT.getOpaque(rings, sqFlagsOffset);
    }

    /** Completions the kernel dropped because the CQ was full (only without {@code FEAT_NODROP}). */
    int cqDropped() {
        return (int) INT.getOpaque(rings, cqOverflowOffset);
    }

    /** The CQ tail as published by the kernel (acquire). */
    int cqTail() {
        return (int) INT.getAcquire(rings, cqTailOffset);
    }

    /** The local CQ head: the next CQE to read. */
    int cqHead() {
        return cqHead;
    }

    boolean cqEmpty() {
        return cqHead == cqTail();
    }

    long cqeUserData(int index) {
        return rings.get(ValueLayout.JAVA_LONG, cqesOffset + (long) (index & cqMask) * CQE_SIZE + CQE_USER_DATA);
    }

    int cqeResult(int index) {
        return rings.get(ValueLayout.JAVA_INT, cqesOffset + (long) (index & cqMask) * CQE_SIZE + CQE_RES);
    }

    int cqeFlags(int index) {
        return rings.get(ValueLayout.JAVA_INT, cqesOffset + (long) (index & cqMask) * CQE_SIZE + CQE_FLAGS);
    }

    /** Hands CQ slots up to {@code newHead} back to the kernel (release). */
    void cqAdvance(int newHead) {
        cqHead = newHead;
        INT.setRelease(rings, cqHeadOffset, newHead);
    }

    /** Closes the ring fd. The mappings go with the arena. */
    @Override
    public void close() {
        if (enterFlags != 0) {
            // NATIVE: io_uring_rsrc_update is copied by the kernel during the synchronous unregister.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment update = arena.allocate(RSRC_UPDATE_SIZE, 8);
                update.set(ValueLayout.JAVA_INT, 0, enterFd);
                LinuxIoUring.register(fd, UNREGISTER_RING_FDS, update, 1);
            }
            enterFlags = 0;
        }
        PosixFiles.close(fd);
    }
}

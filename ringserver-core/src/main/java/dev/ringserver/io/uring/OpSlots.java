package dev.ringserver.io.uring;

import dev.ringserver.io.FileHandle;

import java.util.Arrays;

/**
 * State for io_uring operations the backend must follow itself rather than hand straight back to the
 * caller: accepts and receives (re-armed when the kernel ends them, paused when buffers run out),
 * sends (resubmitted when the kernel reports {@code EAGAIN}), poll-driven sendfile and spliced file
 * transfers. Each operation gets a slot whose index goes into the SQE's user data; the slot is freed
 * only after the operation's final CQE, so a late CQE can never be attributed to a newer operation on
 * a reused descriptor.
 *
 * <p>Stored in parallel primitive arrays that double when full (bounded by the number of descriptors
 * a process may open, as every slot belongs to one). Confined to the ring's thread.
 */
final class OpSlots {

    static final int ACCEPT = 1;
    static final int RECV = 2;
    static final int SENDFILE = 3;
    static final int SEND = 4;
    static final int SENDV = 5;
    /** A file sent through a pipe with linked SPLICEs; the transfer's state is in {@link SplicePipes}. */
    static final int SPLICE = 6;

    /** A kernel operation is in flight and will be re-armed when it ends. */
    static final int ARMED = 1;
    /** Waiting for receive buffers; nothing is in flight. */
    static final int STARVED = 2;
    /** Cancelled or closing: in flight, but must not be re-armed. */
    static final int CANCELLING = 3;

    private int[] kinds = new int[256];
    private int[] states = new int[256];
    private int[] fds = new int[256];
    private long[] tags = new long[256];
    private long[] offsets = new long[256];
    private int[] counts = new int[256];
    private int[] sendFlags = new int[256];
    private FileHandle[] files = new FileHandle[256];
    private int[] pipes = new int[256];
    private int[] free = new int[256];
    private int freeCount;
    private int used;
    private int[] readSlotByFd = filled(1024);
    private int[] writeSlotByFd = filled(1024);

    /** Allocates a slot; accepts and receives become the fd's read slot, writes its write slot. */
    int allocate(int kind, int fd, long tag) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            slot = used++;
            if (slot == kinds.length) {
                grow();
            }
        }
        kinds[slot] = kind;
        states[slot] = ARMED;
        fds[slot] = fd;
        tags[slot] = tag;
        ensureFd(fd);
        if (kind == SENDFILE || kind == SEND || kind == SENDV || kind == SPLICE) {
            writeSlotByFd[fd] = slot;
        } else {
            readSlotByFd[fd] = slot;
        }
        return slot;
    }

    /** Frees a slot after its final CQE. */
    void release(int slot) {
        int fd = fds[slot];
        if (fd < readSlotByFd.length) {
            if (readSlotByFd[fd] == slot) {
                readSlotByFd[fd] = -1;
            }
            if (writeSlotByFd[fd] == slot) {
                writeSlotByFd[fd] = -1;
            }
        }
        files[slot] = null;
        kinds[slot] = 0;
        free[freeCount++] = slot;
    }

    /** Forgets the fd's slots (the fd is being closed; its number may be reused before they end). */
    void detachFd(int fd) {
        if (fd < readSlotByFd.length) {
            readSlotByFd[fd] = -1;
            writeSlotByFd[fd] = -1;
        }
    }

    int readSlot(int fd) {
        return fd >= 0 && fd < readSlotByFd.length ? readSlotByFd[fd] : -1;
    }

    int writeSlot(int fd) {
        return fd >= 0 && fd < writeSlotByFd.length ? writeSlotByFd[fd] : -1;
    }

    int kind(int slot) {
        return kinds[slot];
    }

    int state(int slot) {
        return states[slot];
    }

    void state(int slot, int state) {
        states[slot] = state;
    }

    /** Turns a write slot into another write kind (a splice that falls back to sendfile). */
    void kind(int slot, int kind) {
        kinds[slot] = kind;
    }

    int fd(int slot) {
        return fds[slot];
    }

    long tag(int slot) {
        return tags[slot];
    }

    /**
     * A send's buffer address, length and {@code MSG_*} flags, or a sendv's iovec array address and
     * count (flags 0).
     */
    void write(int slot, long address, int length, int flags) {
        offsets[slot] = address;
        counts[slot] = length;
        sendFlags[slot] = flags;
    }

    /** A send's {@code MSG_*} flags, kept for resubmitting it after {@code EAGAIN}. */
    int sendFlags(int slot) {
        return sendFlags[slot];
    }

    void sendfile(int slot, FileHandle file, long offset, int count) {
        files[slot] = file;
        offsets[slot] = offset;
        counts[slot] = count;
    }

    /** The pipe (an index into {@link SplicePipes}) a SPLICE slot transfers through. */
    void pipe(int slot, int pipe) {
        pipes[slot] = pipe;
    }

    int pipe(int slot) {
        return pipes[slot];
    }

    FileHandle file(int slot) {
        return files[slot];
    }

    /** The sendfile offset, or a send's buffer (or sendv's iovec array) address. */
    long offset(int slot) {
        return offsets[slot];
    }

    int count(int slot) {
        return counts[slot];
    }

    private void grow() {
        int capacity = kinds.length * 2;
        kinds = Arrays.copyOf(kinds, capacity);
        states = Arrays.copyOf(states, capacity);
        fds = Arrays.copyOf(fds, capacity);
        tags = Arrays.copyOf(tags, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        counts = Arrays.copyOf(counts, capacity);
        sendFlags = Arrays.copyOf(sendFlags, capacity);
        files = Arrays.copyOf(files, capacity);
        pipes = Arrays.copyOf(pipes, capacity);
        free = Arrays.copyOf(free, capacity);
    }

    private void ensureFd(int fd) {
        if (fd >= readSlotByFd.length) {
            int capacity = Math.max(fd + 1, readSlotByFd.length * 2);
            int old = readSlotByFd.length;
            readSlotByFd = Arrays.copyOf(readSlotByFd, capacity);
            writeSlotByFd = Arrays.copyOf(writeSlotByFd, capacity);
            Arrays.fill(readSlotByFd, old, capacity, -1);
            Arrays.fill(writeSlotByFd, old, capacity, -1);
        }
    }

    private static int[] filled(int length) {
        int[] array = new int[length];
        Arrays.fill(array, -1);
        return array;
    }
}

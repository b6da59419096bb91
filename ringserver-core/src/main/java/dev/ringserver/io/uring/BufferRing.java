package dev.ringserver.io.uring;

import dev.ringserver.io.BufferSlab;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.linux.LinuxIoUring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.ringserver.sys.linux.IoUringAbi.BUF_ADDR;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_BID;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_LEN;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_REG_BGID;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_REG_RING_ADDR;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_REG_RING_ENTRIES;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_REG_SIZE;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_RING_TAIL;
import static dev.ringserver.sys.linux.IoUringAbi.BUF_SIZE;
import static dev.ringserver.sys.linux.IoUringAbi.REGISTER_PBUF_RING;
import static dev.ringserver.sys.linux.IoUringAbi.UNREGISTER_PBUF_RING;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}): the kernel picks a free receive buffer
 * from it when data arrives, so idle connections hold no buffer. Buffers come from a
 * {@link BufferSlab}; a buffer id is its slab index.
 *
 * <p>Returned buffers are written into the ring at a local tail, and the tail is published to the
 * kernel with a release store once per loop iteration ({@link #publish()}), before
 * {@code io_uring_enter}. Confined to the ring's thread.
 */
final class BufferRing {

    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private final int ringFd;
    private final int groupId;
    private final MemorySegment entries;
    private final BufferSlab slab;
    private final int mask;
    private int tail;
    private boolean dirty;

    private BufferRing(int ringFd, int groupId, MemorySegment entries, BufferSlab slab) {
        this.ringFd = ringFd;
        this.groupId = groupId;
        this.entries = entries;
        this.slab = slab;
        this.mask = slab.count() - 1;
    }

    /**
     * Registers a ring holding every buffer of {@code slab} (whose count must be a power of two).
     *
     * @throws ErrnoException when the kernel refuses (EINVAL before Linux 5.19)
     */
    static BufferRing register(Arena arena, int ringFd, int groupId, BufferSlab slab) throws ErrnoException {
        // NATIVE: the ring entries are read by the kernel asynchronously whenever a receive picks a
        // buffer, so they live in the backend's arena (page-aligned) until the ring is unregistered
        // and closed.
        MemorySegment entries = NativeMemory.allocatePages(arena, (long) slab.count() * BUF_SIZE);
        // NATIVE: io_uring_buf_reg is copied during the synchronous register call.
        try (Arena call = Arena.ofConfined()) {
            MemorySegment registration = call.allocate(BUF_REG_SIZE, 8);
            registration.set(ValueLayout.JAVA_LONG, BUF_REG_RING_ADDR, entries.address());
            registration.set(ValueLayout.JAVA_INT, BUF_REG_RING_ENTRIES, slab.count());
            registration.set(ValueLayout.JAVA_SHORT, BUF_REG_BGID, (short) groupId);
            ErrnoException.check("io_uring_register(PBUF_RING)",
                    LinuxIoUring.register(ringFd, REGISTER_PBUF_RING, registration, 1));
        }
        BufferRing ring = new BufferRing(ringFd, groupId, entries, slab);
        for (int id = 0; id < slab.count(); id++) {
            ring.recycle(id);
        }
        ring.publish();
        return ring;
    }

    /** Probes whether the kernel supports buffer rings, with a two-entry ring that is removed again. */
    static boolean supported(int ringFd) {
        // NATIVE: a short confined arena; the probe ring is unregistered before the arena closes.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entries = arena.allocate(4096, 4096);
            MemorySegment registration = arena.allocate(BUF_REG_SIZE, 8);
            registration.set(ValueLayout.JAVA_LONG, BUF_REG_RING_ADDR, entries.address());
            registration.set(ValueLayout.JAVA_INT, BUF_REG_RING_ENTRIES, 2);
            registration.set(ValueLayout.JAVA_SHORT, BUF_REG_BGID, (short) 0);
            if (LinuxIoUring.register(ringFd, REGISTER_PBUF_RING, registration, 1) < 0) {
                return false;
            }
            LinuxIoUring.register(ringFd, UNREGISTER_PBUF_RING, registration, 1);
            return true;
        }
    }

    int groupId() {
        return groupId;
    }

    /** Makes buffer {@code id} available to the kernel again (after the next {@link #publish()}). */
    void recycle(int id) {
        long entry = (long) (tail & mask) * BUF_SIZE;
        MemorySegment buffer = slab.segment(id);
        entries.set(ValueLayout.JAVA_LONG, entry + BUF_ADDR, buffer.address());
        entries.set(ValueLayout.JAVA_INT, entry + BUF_LEN, slab.size());
        entries.set(ValueLayout.JAVA_SHORT, entry + BUF_BID, (short) id);
        tail++;
        dirty = true;
    }

    /** Publishes recycled buffers to the kernel (release store of the ring tail). */
    void publish() {
        if (dirty) {
            SHORT.setRelease(entries, BUF_RING_TAIL, (short) tail);
            dirty = false;
        }
    }

    /** Unregisters the ring; the kernel stops picking buffers from it. */
    void unregister() {
        // NATIVE: io_uring_buf_reg is copied during the synchronous register call.
        try (Arena call = Arena.ofConfined()) {
            MemorySegment registration = call.allocate(BUF_REG_SIZE, 8);
            registration.set(ValueLayout.JAVA_SHORT, BUF_REG_BGID, (short) groupId);
            LinuxIoUring.register(ringFd, UNREGISTER_PBUF_RING, registration, 1);
        }
    }
}

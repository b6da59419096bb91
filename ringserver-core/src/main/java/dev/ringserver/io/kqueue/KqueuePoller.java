package dev.ringserver.io.kqueue;

import dev.ringserver.io.readiness.Poller;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.Kqueue;
import dev.ringserver.sys.KqueueAbi;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.posix.PosixFiles;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * An edge-triggered kqueue {@link Poller}, the counterpart of the epoll poller, over macOS's kqueue
 * or libkqueue on Linux ({@link Kqueue}). Each handle is registered once for {@code EVFILT_READ} and
 * {@code EVFILT_WRITE} with {@code EV_CLEAR} (reported once per change of state, like
 * {@code EPOLLET}), so interest never changes afterwards. Wake-ups trigger an {@code EVFILT_USER}
 * event ({@code NOTE_TRIGGER}).
 *
 * <p>Registrations are no system call of their own: they wait in a change list. On the kernel's
 * kqueue the next wait carries them, so a loop that accepts 64 connections registers them all with
 * the call it makes anyway, and a change that fails comes back as an {@code EV_ERROR} event. On
 * libkqueue they are applied just before the wait, with {@code EV_RECEIPT}, in a call of their own
 * (see {@link Kqueue#changesMayShareWait()}). Either way a failure is reported as
 * {@link ReadyHandler#lost lost}. A handle that leaves before its registration was applied is dropped
 * from the list, so no change ever names a descriptor number that may have been reused since.
 *
 * <p>Closing a descriptor removes its registrations on macOS; libkqueue does not notice closes, so
 * there (and whenever a handle moves to another loop) {@link #deregister} deletes them first. Where
 * the kqueue cannot watch one descriptor in both directions, {@code EVFILT_WRITE} goes on a
 * duplicate ({@link WriteDuplicates}).
 *
 * <p>Confined to the backend's thread, except {@link #wakeup()}.
 */
final class KqueuePoller implements Poller {

    /** The ident of the wake-up event; its filter ({@code EVFILT_USER}) keeps it apart from descriptors. */
    private static final long WAKEUP_IDENT = 0;
    private static final int MIN_CHANGES = 64;

    private final Kqueue kqueue;
    private final int kq;
    private final boolean closeRemovesRegistrations;
    private final boolean changesShareWait;
    private final WriteDuplicates duplicates;
    private final short filterRead;
    private final short filterWrite;
    private final short filterUser;
    private final short addFlags;
    private final short deleteFlags;
    private final int evEof;
    private final int evError;
    private final int evReceipt;
    private final long keventSize;
    private final long identOffset;
    private final long filterOffset;
    private final long flagsOffset;
    private final long fflagsOffset;
    private final long dataOffset;
    private final long udataOffset;
    private final long secondsOffset;
    private final long nanosOffset;
    private final int capacity;
    private final MemorySegment events;
    private final MemorySegment changes;
    private final MemorySegment receipts;
    private final MemorySegment control;
    private final MemorySegment controlReceipts;
    private final MemorySegment timeout;
    private final MemorySegment noWait;
    private final MemorySegment trigger;
    private int pendingChanges;
    private int[] lostHandles = new int[8];
    private int[] lostErrnos = new int[8];
    private int lostCount;
    private long wakeups;

    /**
     * @param arena                the backend's confined arena, owning the event and change lists
     * @param writeOnDuplicates    whether {@code EVFILT_WRITE} must go on a duplicate descriptor
     *                             because the kqueue cannot watch one descriptor twice
     */
    KqueuePoller(Kqueue kqueue, Arena arena, int maxEvents, boolean writeOnDuplicates) throws ErrnoException {
        this.kqueue = kqueue;
        this.closeRemovesRegistrations = kqueue.closeRemovesRegistrations();
        this.changesShareWait = kqueue.changesMayShareWait();
        this.duplicates = writeOnDuplicates ? new WriteDuplicates() : null;
        KqueueAbi abi = kqueue.abi();
        this.filterRead = (short) abi.filterRead();
        this.filterWrite = (short) abi.filterWrite();
        this.filterUser = (short) abi.filterUser();
        this.addFlags = (short) (abi.evAdd() | abi.evClear());
        this.deleteFlags = (short) (abi.evDelete() | abi.evReceipt());
        this.evEof = abi.evEof();
        this.evError = abi.evError();
        this.evReceipt = abi.evReceipt();
        this.keventSize = abi.keventSize();
        this.identOffset = abi.offset("ident");
        this.filterOffset = abi.offset("filter");
        this.flagsOffset = abi.offset("flags");
        this.fflagsOffset = abi.offset("fflags");
        this.dataOffset = abi.offset("data");
        this.udataOffset = abi.offset("udata");
        this.secondsOffset = abi.timespec().byteOffset(MemoryLayout.PathElement.groupElement("tv_sec"));
        this.nanosOffset = abi.timespec().byteOffset(MemoryLayout.PathElement.groupElement("tv_nsec"));
        // The event list is at least as long as the change list, so every change that fails while a
        // wait applies the list has room to come back as an EV_ERROR event.
        this.capacity = Math.max(maxEvents, MIN_CHANGES);
        // NATIVE: the event, change and receipt lists, the delete scratch and the timespecs live in the
        // backend's confined arena; kevent reads and writes them only during each call on this thread.
        this.events = NativeMemory.allocate(arena, capacity * keventSize, 8);
        this.changes = NativeMemory.allocate(arena, capacity * keventSize, 8);
        this.receipts = NativeMemory.allocate(arena, capacity * keventSize, 8);
        this.control = NativeMemory.allocate(arena, 4 * keventSize, 8);
        this.controlReceipts = control.asSlice(2 * keventSize);
        this.timeout = NativeMemory.allocate(arena, abi.timespec().byteSize(), 8);
        this.noWait = NativeMemory.allocate(arena, abi.timespec().byteSize(), 8);
        // NATIVE: the NOTE_TRIGGER change that wakeup() passes to kevent from any thread. A confined
        // arena would refuse other threads, so it comes from an automatic arena: never written after
        // this constructor, freed by the GC once the poller (which every caller of wakeup() reaches)
        // is gone. Not counted in NativeMemory, whose count must return to zero without a GC.
        this.trigger = Arena.ofAuto().allocate(keventSize, 8);
        setKevent(trigger, 0, WAKEUP_IDENT, filterUser, (short) 0, abi.noteTrigger());
        int fd = kqueue.kqueue();
        if (fd < 0) {
            throw new ErrnoException("kqueue", -fd);
        }
        this.kq = fd;
        setKevent(control, 0, WAKEUP_IDENT, filterUser, (short) (addFlags | evReceipt), 0);
        int errno = applyWithReceipts(control, 1, controlReceipts);
        if (errno == 0) {
            errno = (int) controlReceipts.get(ValueLayout.JAVA_LONG_UNALIGNED, dataOffset);
        }
        if (errno != 0) {
            close();
            throw new ErrnoException("kevent(EV_ADD EVFILT_USER)", errno);
        }
    }

    @Override
    public void register(int handle) throws IOException {
        if (pendingChanges + 2 > capacity) {
            applyChangesNow();
        }
        int writeIdent = handle;
        if (duplicates != null) {
            writeIdent = duplicates.open(handle);
            if (writeIdent < 0) {
                throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC) for EVFILT_WRITE", -writeIdent);
            }
        }
        setKevent(changes, pendingChanges++, handle, filterRead, addFlags, 0);
        setKevent(changes, pendingChanges++, writeIdent, filterWrite, addFlags, 0);
    }

    @Override
    public void interest(int handle, boolean read, boolean write) {
        // Registered once for both directions, edge-triggered: nothing to change.
    }

    @Override
    public void deregister(int handle, boolean closing) {
        forgetLost(handle);
        int writeIdent = duplicates == null ? handle : duplicates.duplicateOf(handle);
        boolean applied = !dropPendingChanges(handle, writeIdent);
        if (applied && !(closing && closeRemovesRegistrations)) {
            // Deleted before the descriptors close: libkqueue only forgets what it is told to, and a
            // handle moving to another loop must not be reported here any more.
            setKevent(control, 0, handle, filterRead, deleteFlags, 0);
            setKevent(control, 1, writeIdent, filterWrite, deleteFlags, 0);
            applyWithReceipts(control, 2, controlReceipts); // a failure leaves nothing to undo
        }
        if (duplicates != null) {
            duplicates.close(handle);
        }
    }

    @Override
    public int wait(long timeoutNanos, ReadyHandler handler) throws IOException {
        if (!changesShareWait && pendingChanges > 0) {
            applyChangesNow();
        }
        int reported = reportLost(handler);
        MemorySegment waitFor;
        if (reported > 0 || timeoutNanos == 0) {
            waitFor = noWait; // lost handles already made work for the caller
        } else if (timeoutNanos < 0) {
            waitFor = MemorySegment.NULL;
        } else {
            timeout.set(ValueLayout.JAVA_LONG, secondsOffset, timeoutNanos / 1_000_000_000L);
            timeout.set(ValueLayout.JAVA_LONG, nanosOffset, timeoutNanos % 1_000_000_000L);
            waitFor = timeout;
        }
        int count = kqueue.kevent(kq, changes, pendingChanges, events, capacity, waitFor);
        if (count < 0 && count != -Errno.EINTR) {
            throw new ErrnoException("kevent", -count);
        }
        pendingChanges = 0; // applied, also when a signal interrupted the wait that followed
        int lastLost = -1;
        for (int i = 0; i < count; i++) {
            long base = i * keventSize;
            int ident = (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + identOffset);
            short filter = events.get(ValueLayout.JAVA_SHORT, base + filterOffset);
            int flags = Short.toUnsignedInt(events.get(ValueLayout.JAVA_SHORT, base + flagsOffset));
            int handle = filter == filterWrite ? handleOfWriteIdent(ident) : ident;
            if ((flags & evError) != 0) {
                long errno = events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + dataOffset);
                // A handle's two changes fail alike and come back next to each other: report it once.
                if (errno != 0 && handle >= 0 && handle != lastLost) {
                    handler.lost(handle, (int) errno);
                    lastLost = handle;
                    reported++;
                }
                continue;
            }
            if (filter == filterUser) {
                wakeups++;
                continue;
            }
            if (handle >= 0) {
                handler.ready(handle, translate(filter, flags, events.get(ValueLayout.JAVA_INT, base + fflagsOffset)));
                reported++;
            }
        }
        return reported;
    }

    @Override
    public void wakeup() {
        kqueue.kevent(kq, trigger, 1, MemorySegment.NULL, 0, MemorySegment.NULL);
    }

    @Override
    public long wakeupsObserved() {
        return wakeups;
    }

    @Override
    public void close() {
        PosixFiles.close(kq);
    }

    /**
     * Applies the change list in a call of its own (when it is full before the next wait, or before
     * every wait on libkqueue). Failures are kept and reported as lost by {@link #wait}.
     */
    private void applyChangesNow() {
        int count = pendingChanges;
        pendingChanges = 0;
        for (int i = 0; i < count; i++) {
            long at = i * keventSize + flagsOffset;
            changes.set(ValueLayout.JAVA_SHORT, at, (short) (changes.get(ValueLayout.JAVA_SHORT, at) | evReceipt));
        }
        int errno = applyWithReceipts(changes, count, receipts);
        for (int i = 0; i < count; i++) {
            long base = i * keventSize;
            long failed = errno != 0 ? errno : receipts.get(ValueLayout.JAVA_LONG_UNALIGNED, base + dataOffset);
            if (failed != 0) {
                int ident = (int) changes.get(ValueLayout.JAVA_LONG_UNALIGNED, base + identOffset);
                boolean write = changes.get(ValueLayout.JAVA_SHORT, base + filterOffset) == filterWrite;
                int handle = write ? handleOfWriteIdent(ident) : ident;
                if (handle >= 0) {
                    addLost(handle, (int) failed);
                }
            }
        }
    }

    /**
     * Applies {@code count} changes that carry {@code EV_RECEIPT}, with room for one receipt each, so
     * kevent processes them all, reports each result and collects no events (which a caller may still
     * be reading from the event list). A receipt's {@code data} is 0 or the change's errno: the kernel
     * also sets {@code EV_ERROR} and counts the receipts, libkqueue 2.3 does neither, so only
     * {@code data} is read, from receipts cleared beforehand.
     *
     * @return 0, or the errno of the call itself (then no change may have been applied)
     */
    private int applyWithReceipts(MemorySegment list, int count, MemorySegment results) {
        results.asSlice(0, count * keventSize).fill((byte) 0);
        int rc = kqueue.kevent(kq, list, count, results, count, noWait);
        return rc < 0 ? -rc : 0;
    }

    /** Removes the changes for these idents that no kevent call has applied yet; true if there were any. */
    private boolean dropPendingChanges(int readIdent, int writeIdent) {
        int kept = 0;
        for (int i = 0; i < pendingChanges; i++) {
            long from = i * keventSize;
            int ident = (int) changes.get(ValueLayout.JAVA_LONG_UNALIGNED, from + identOffset);
            short filter = changes.get(ValueLayout.JAVA_SHORT, from + filterOffset);
            boolean mine = filter == filterWrite ? ident == writeIdent : ident == readIdent;
            if (!mine) {
                if (kept != i) {
                    MemorySegment.copy(changes, from, changes, kept * keventSize, keventSize);
                }
                kept++;
            }
        }
        boolean dropped = kept != pendingChanges;
        pendingChanges = kept;
        return dropped;
    }

    private int handleOfWriteIdent(int ident) {
        return duplicates == null ? ident : duplicates.handleOf(ident);
    }

    private int reportLost(ReadyHandler handler) {
        int count = lostCount;
        lostCount = 0;
        for (int i = 0; i < count; i++) {
            handler.lost(lostHandles[i], lostErrnos[i]);
        }
        return count;
    }

    private void addLost(int handle, int errno) {
        for (int i = 0; i < lostCount; i++) {
            if (lostHandles[i] == handle) {
                return; // one report per handle
            }
        }
        if (lostCount == lostHandles.length) {
            lostHandles = Arrays.copyOf(lostHandles, lostCount * 2);
            lostErrnos = Arrays.copyOf(lostErrnos, lostCount * 2);
        }
        lostHandles[lostCount] = handle;
        lostErrnos[lostCount++] = errno;
    }

    private void forgetLost(int handle) {
        for (int i = 0; i < lostCount; i++) {
            if (lostHandles[i] == handle) {
                lostHandles[i] = lostHandles[--lostCount];
                lostErrnos[i] = lostErrnos[lostCount];
                return;
            }
        }
    }

    private void setKevent(MemorySegment list, int index, long ident, short filter, short flags, int fflags) {
        long base = index * keventSize;
        list.set(ValueLayout.JAVA_LONG_UNALIGNED, base + identOffset, ident);
        list.set(ValueLayout.JAVA_SHORT, base + filterOffset, filter);
        list.set(ValueLayout.JAVA_SHORT, base + flagsOffset, flags);
        list.set(ValueLayout.JAVA_INT, base + fflagsOffset, fflags);
        list.set(ValueLayout.JAVA_LONG_UNALIGNED, base + dataOffset, 0L);
        list.set(ValueLayout.JAVA_LONG_UNALIGNED, base + udataOffset, 0L);
    }

    /**
     * A kevent's readiness as {@link Poller} events. {@code EV_EOF} on {@code EVFILT_READ} means the
     * peer will send no more (a hang-up, {@code EPOLLRDHUP}'s meaning); on {@code EVFILT_WRITE} that
     * this side can send no more, which the next send reports itself. A non-zero {@code fflags} with
     * {@code EV_EOF} is the socket's pending error.
     */
    private int translate(short filter, int flags, int fflags) {
        boolean eof = (flags & evEof) != 0;
        int ready = filter == filterRead ? READABLE | (eof ? HANGUP : 0) : WRITABLE;
        return eof && fflags != 0 ? ready | ERROR : ready;
    }
}

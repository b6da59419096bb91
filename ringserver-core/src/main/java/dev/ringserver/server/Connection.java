package dev.ringserver.server;

import dev.ringserver.io.Completions;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoVecs;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.ErrnoException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * One accepted TCP connection on an event loop: receiving (with pause and resume), a bounded queue of
 * outgoing bytes sent with gathering writes, file regions sent in order between those bytes without
 * copying them through user space, and an orderly or abortive close.
 *
 * <p>Confined to its loop thread: every method must be called there (from a {@link ConnectionHandler}
 * callback or a task run by {@link EventLoop#execute}). The connection keeps count of the operations
 * it has pending in the backend and releases its slot only when all have completed, so the kernel
 * never touches memory that was given back.
 */
public final class Connection {

    private static final int MAX_IOVECS = 64;
    /** File regions one connection may have queued; {@link #writeFile} refuses more. */
    static final int MAX_FILE_REGIONS = 16;
    /** Largest count asked of one sendfile: Linux moves at most about 2 GiB per call anyway. */
    private static final int MAX_SENDFILE_BYTES = 1 << 30;

    private final EventLoop loop;
    private final IoBackend backend;
    private final BlockPool outbound;
    private final int slot;
    private final int handle;
    private final long maxOutboundBytes;
    private ConnectionHandler handler;
    private InetSocketAddress remoteAddress;

    private int pending;
    private boolean recvArmed;
    private boolean recvCancelling;
    private boolean paused;
    private boolean inputClosed;
    private boolean endOfStreamPending;
    private int heldBuffer = -1;
    private int heldOffset;
    private int heldEnd;
    private int[] stash = new int[8];
    private int stashHead;
    private int stashCount;

    private int[] chunks;
    private int chunkHead;
    private int chunkCount;
    private int headOffset;
    private int tailLength;
    private long queued;
    private boolean writeInFlight;
    private long inFlightBytes;
    private int iovecChunk = -1;
    private long bytesQueuedTotal;
    private long bytesSentTotal;
    private OutboundFiles files;
    private boolean fileInFlight;

    private boolean outputClosePending;
    private boolean outputClosed;
    private long lastWriteProgress = System.nanoTime();
    private boolean closeAfterFlush;
    private boolean closing;
    private boolean finished;
    private Throwable closeCause;

    Connection(EventLoop loop, IoBackend backend, BlockPool outbound, int slot, int handle, long maxOutboundBytes) {
        this.loop = loop;
        this.backend = backend;
        this.outbound = outbound;
        this.slot = slot;
        this.handle = handle;
        this.maxOutboundBytes = maxOutboundBytes;
        this.chunks = new int[4];
    }

    /** The loop that owns this connection. */
    public EventLoop loop() {
        return loop;
    }

    /** The peer's address (looked up once, on first use). */
    public InetSocketAddress remoteAddress() throws IOException {
        if (remoteAddress == null) {
            remoteAddress = backend.remoteAddress(handle);
        }
        return remoteAddress;
    }

    /** Whether the connection is neither closing nor closed. */
    public boolean isOpen() {
        return !closing && !closeAfterFlush;
    }

    /** Bytes written but not yet handed to the kernel. */
    public long queuedBytes() {
        return queued;
    }

    /** File regions queued and not yet completely sent. */
    public int queuedFileRegions() {
        return files == null ? 0 : files.size();
    }

    /** Whether {@link #write} would currently accept at least one more full chunk and {@link #writeFile} a region. */
    public boolean isWritable() {
        return isOpen() && queued + outbound.chunkSize() <= maxOutboundBytes && outbound.available() > 0
                && (files == null || !files.isFull());
    }

    /**
     * Copies {@code data[offset, offset + length)} into the outgoing queue; {@link #flush()} sends it.
     *
     * @return false, writing nothing, when the connection is closing or the bytes would exceed the
     *         connection's outbound limit or the loop's buffer pool: wait for
     *         {@link ConnectionHandler#onWritable} and retry
     */
    public boolean write(MemorySegment data, long offset, long length) {
        if (!isOpen() || outputClosed || outputClosePending || queued + length > maxOutboundBytes) {
            return false;
        }
        int chunkSize = outbound.chunkSize();
        long room = chunkCount == 0 ? 0 : chunkSize - tailLength;
        long needed = length <= room ? 0 : (length - room + chunkSize - 1) / chunkSize;
        if (needed > outbound.available()) {
            return false;
        }
        long copied = 0;
        while (copied < length) {
            if (chunkCount == 0 || tailLength == chunkSize) {
                appendChunk(outbound.take());
            }
            int tail = chunks[(chunkHead + chunkCount - 1) & (chunks.length - 1)];
            int n = (int) Math.min(length - copied, chunkSize - tailLength);
            MemorySegment.copy(data, offset + copied, outbound.segment(tail), tailLength, n);
            tailLength += n;
            copied += n;
        }
        queued += length;
        bytesQueuedTotal += length;
        return true;
    }

    /**
     * Queues {@code length} bytes of {@code file} from {@code offset}, to be sent after the bytes
     * written so far and before any written later, with the backend's sendfile. The file must stay
     * open until the region has been sent: with {@code release}, the connection closes it then (or
     * when the connection ends first), so the last region of a file sets it and earlier ones do not.
     *
     * @return false, queueing nothing and leaving the file to the caller, when the connection is
     *         closing or already has {@value #MAX_FILE_REGIONS} regions queued
     */
    public boolean writeFile(FileHandle file, long offset, long length, boolean release) {
        if (!isOpen() || outputClosed || outputClosePending || offset < 0 || length < 0) {
            return false;
        }
        if (length == 0) {
            if (release) {
                OutboundFiles.closeQuietly(file);
            }
            return true;
        }
        if (files == null) {
            files = new OutboundFiles(MAX_FILE_REGIONS); // NATIVE: only the handles; closed by this connection on its loop
        }
        return files.offer(file, offset, length, bytesQueuedTotal, release);
    }

    /** Sends what is queued (one write at a time): bytes with gathering writes, file regions with sendfile. */
    public void flush() {
        if (writeInFlight || closing) {
            return;
        }
        if (files != null && !files.isEmpty() && files.headMark() == bytesSentTotal) {
            int count = (int) Math.min(files.headRemaining(), MAX_SENDFILE_BYTES);
            inFlightBytes = count;
            fileInFlight = true;
            writeInFlight = true;
            pending++;
            backend.sendfile(handle, files.headFile(), files.headOffset(), count, loop.tag(slot, EventLoop.WRITE));
            return;
        }
        if (queued == 0) {
            return;
        }
        // Only the bytes before the next file region may go now.
        long limit = files == null || files.isEmpty() ? Long.MAX_VALUE : files.headMark() - bytesSentTotal;
        int count = Math.min(chunkCount, MAX_IOVECS);
        if (count > 1 && iovecChunk < 0) {
            iovecChunk = outbound.take(); // when the pool is exhausted, send the first chunk alone
        }
        if (count == 1 || iovecChunk < 0) {
            int length = (int) Math.min(chunkEnd(0) - headOffset, limit);
            inFlightBytes = length;
            // Bytes that end where a file region starts (a response head) are held back with "more" so
            // that they leave with the file's first bytes: measured, a head in a segment of its own
            // halved what a client read of 1 MiB files (docs/benchmarks.md). Gathering writes carry no
            // such flag (io_uring's WRITEV has none); a head spans two chunks only rarely.
            backend.send(handle, outbound.segment(chunks[chunkHead]), headOffset, length, length == limit,
                    loop.tag(slot, EventLoop.WRITE));
        } else {
            MemorySegment iovecs = outbound.segment(iovecChunk);
            long total = 0;
            int used = 0;
            while (used < count && total < limit) {
                int start = used == 0 ? headOffset : 0;
                int length = (int) Math.min(chunkEnd(used) - start, limit - total);
                IoVecs.set(iovecs, used, outbound.segment(chunkAt(used)), start, length);
                total += length;
                used++;
            }
            inFlightBytes = total;
            backend.sendv(handle, iovecs, used, loop.tag(slot, EventLoop.WRITE));
        }
        writeInFlight = true;
        pending++;
    }

    /**
     * Stops receiving: no {@link ConnectionHandler#onRead} until {@link #resumeReading()}. Data the
     * kernel delivers meanwhile is held (in the transport's buffers) and handed over on resume.
     */
    public void pauseReading() {
        if (paused) {
            return;
        }
        paused = true;
        if (recvArmed && !recvCancelling) {
            recvCancelling = true;
            backend.cancel(handle, loop.tag(slot, EventLoop.RECV));
        }
    }

    /**
     * Resumes receiving after {@link #pauseReading()} or after the handler left bytes unconsumed,
     * first offering what is held: the rest of a buffer, then buffers that arrived meanwhile.
     */
    public void resumeReading() {
        if (!paused || closing) {
            return;
        }
        paused = false;
        if (heldBuffer >= 0) {
            int bufferId = heldBuffer;
            heldBuffer = -1;
            deliver(bufferId, heldOffset, heldEnd);
        }
        while (stashCount > 0 && !paused && !closing) {
            int bufferId = stash[stashHead];
            int length = stash[stashHead + 1];
            stashHead = (stashHead + 2) & (stash.length - 1);
            stashCount--;
            deliver(bufferId, 0, length);
        }
        if (paused || closing) {
            return;
        }
        if (endOfStreamPending) {
            endOfStreamPending = false;
            handler.onInputClosed(this);
        } else if (!recvArmed && !inputClosed) {
            armRecv();
        }
    }

    /** Whether reading is paused. */
    public boolean isReadingPaused() {
        return paused;
    }

    /**
     * Sends FIN once everything queued has been sent, and keeps reading: the first half of a lingering
     * close, which lets the peer read an error response before the connection goes away.
     */
    public void closeOutput() {
        if (closing || outputClosed || outputClosePending) {
            return;
        }
        if (!hasOutput() && !writeInFlight) {
            shutdownOutputNow();
        } else {
            outputClosePending = true;
        }
    }

    /** When a write last made progress ({@link System#nanoTime()}), for write-inactivity timeouts. */
    public long lastWriteProgressNanos() {
        return lastWriteProgress;
    }

    /** Closes after everything queued has been sent. Reading stops at once. */
    public void close() {
        if (closing || closeAfterFlush) {
            return;
        }
        if (hasOutput() || writeInFlight) {
            closeAfterFlush = true;
            pauseReading();
        } else {
            closeNow(null);
        }
    }

    /** Closes at once, discarding anything not yet sent. */
    public void abort() {
        closeNow(null);
    }

    // ---- called by the event loop

    void start(ConnectionHandler connectionHandler) {
        this.handler = connectionHandler;
        handler.onOpen(this);
        if (!paused && !closing && !closeAfterFlush) {
            armRecv();
        }
    }

    void recvCompleted(int result, int flags) {
        if (result > 0) {
            int bufferId = Completions.bufferId(flags);
            if (closing) {
                backend.releaseRecvBuffer(bufferId);
            } else if (paused || stashCount > 0 || heldBuffer >= 0) {
                hold(bufferId, result);
            } else {
                deliver(bufferId, 0, result);
            }
        }
        if (Completions.hasMore(flags)) {
            return;
        }
        recvArmed = false;
        pending--;
        boolean cancelled = recvCancelling;
        recvCancelling = false;
        if (closing) {
            finishIfIdle();
        } else if (result == 0) {
            inputClosed = true;
            if (paused || stashCount > 0 || heldBuffer >= 0) {
                endOfStreamPending = true;
            } else {
                handler.onInputClosed(this);
            }
        } else if (result < 0 && !(result == -Errno.ECANCELED && cancelled)) {
            fail(new ErrnoException("recv", -result));
        } else if (!paused && !inputClosed && !closeAfterFlush) {
            armRecv();
        }
    }

    void writeCompleted(int result) {
        writeInFlight = false;
        boolean file = fileInFlight;
        fileInFlight = false;
        pending--;
        if (iovecChunk >= 0) {
            outbound.give(iovecChunk);
            iovecChunk = -1;
        }
        if (closing) {
            finishIfIdle();
            return;
        }
        if (result <= 0) {
            String call = file ? "sendfile" : "send";
            fail(result < 0 ? new ErrnoException(call, -result) : new IOException(file
                    ? "the file ended before the queued region (was it truncated?)" : "send made no progress"));
            return;
        }
        if (result < inFlightBytes) {
            loop.counters().increment(LoopCounter.PARTIAL_WRITES);
        }
        lastWriteProgress = System.nanoTime();
        if (file) {
            files.advance(result);
        } else {
            consume(result);
        }
        if (hasOutput()) {
            flush();
        } else if (closeAfterFlush) {
            closeNow(null);
        } else {
            if (outputClosePending) {
                shutdownOutputNow();
            }
            handler.onWritable(this);
        }
    }

    void shutdownRequested() {
        if (!closing && !closeAfterFlush) {
            handler.onShutdown(this);
        }
    }

    void closeCompleted() {
        pending--;
        finishIfIdle();
    }

    /** Ends the connection because of {@code cause} (an I/O error or a handler exception). */
    void fail(Throwable cause) {
        closeNow(cause);
    }

    // ---- internals

    /** Offers {@code buffer[offset, end)} to the handler; keeps what it does not consume and pauses. */
    private void deliver(int bufferId, int offset, int end) {
        int consumed = end - offset;
        try {
            consumed = handler.onRead(this, backend.recvBuffer(bufferId), offset, end - offset);
        } finally {
            if (consumed < 0 || consumed > end - offset) {
                backend.releaseRecvBuffer(bufferId);
                throw new IllegalStateException("onRead consumed " + consumed + " of " + (end - offset) + " bytes");
            }
            if (consumed == end - offset || closing) {
                backend.releaseRecvBuffer(bufferId);
            } else {
                heldBuffer = bufferId;
                heldOffset = offset + consumed;
                heldEnd = end;
                pauseReading();
            }
        }
    }

    private void hold(int bufferId, int length) {
        if (stashCount * 2 == stash.length) {
            int[] grown = new int[stash.length * 2];
            for (int i = 0; i < stashCount * 2; i++) {
                grown[i] = stash[(stashHead + i) & (stash.length - 1)];
            }
            stash = grown;
            stashHead = 0;
        }
        int index = (stashHead + stashCount * 2) & (stash.length - 1);
        stash[index] = bufferId;
        stash[index + 1] = length;
        stashCount++;
    }

    private void shutdownOutputNow() {
        outputClosePending = false;
        outputClosed = true;
        backend.shutdownOutput(handle); // failures (the peer is gone) surface on the next read
    }

    private void armRecv() {
        recvArmed = true;
        pending++;
        backend.recv(handle, loop.tag(slot, EventLoop.RECV));
    }

    private void closeNow(Throwable cause) {
        if (closing) {
            return;
        }
        closing = true;
        closeAfterFlush = false;
        closeCause = cause;
        if (heldBuffer >= 0) {
            backend.releaseRecvBuffer(heldBuffer);
            heldBuffer = -1;
        }
        while (stashCount > 0) {
            backend.releaseRecvBuffer(stash[stashHead]);
            stashHead = (stashHead + 2) & (stash.length - 1);
            stashCount--;
        }
        pending++;
        backend.close(handle, loop.tag(slot, EventLoop.CLOSE));
    }

    private void finishIfIdle() {
        if (pending > 0 || finished) {
            return;
        }
        finished = true;
        while (chunkCount > 0) {
            outbound.give(chunks[chunkHead]);
            chunkHead = (chunkHead + 1) & (chunks.length - 1);
            chunkCount--;
        }
        queued = 0;
        if (files != null) {
            files.clear();
        }
        loop.connectionFinished(slot);
        handler.onClosed(this, closeCause);
    }

    private boolean hasOutput() {
        return queued > 0 || (files != null && !files.isEmpty());
    }

    private void consume(long sent) {
        queued -= sent;
        bytesSentTotal += sent;
        while (sent > 0) {
            int available = chunkEnd(0) - headOffset;
            if (sent < available) {
                headOffset += (int) sent;
                return;
            }
            sent -= available;
            outbound.give(chunks[chunkHead]);
            chunkHead = (chunkHead + 1) & (chunks.length - 1);
            chunkCount--;
            headOffset = 0;
            if (chunkCount == 0) {
                tailLength = 0;
            }
        }
    }

    private void appendChunk(int id) {
        if (chunkCount == chunks.length) {
            int[] grown = new int[chunks.length * 2];
            for (int i = 0; i < chunkCount; i++) {
                grown[i] = chunks[(chunkHead + i) & (chunks.length - 1)];
            }
            chunks = grown;
            chunkHead = 0;
        }
        chunks[(chunkHead + chunkCount) & (chunks.length - 1)] = id;
        chunkCount++;
        tailLength = 0;
    }

    private int chunkAt(int index) {
        return chunks[(chunkHead + index) & (chunks.length - 1)];
    }

    /** Where the data of the {@code index}-th queued chunk ends: the last chunk may be partly filled. */
    private int chunkEnd(int index) {
        return index == chunkCount - 1 ? tailLength : outbound.chunkSize();
    }
}

package dev.ringserver.server;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The request body as an {@link InputStream}: each refill asks the engine for the next piece and
 * waits for it, so nothing is read from the socket before the handler reads.
 *
 * <p>Read by one handler thread; {@link BodyListener} callbacks arrive on the loop. The buffer holds
 * one piece (at most a receive buffer).
 */
final class BlockingRequestBody extends InputStream implements BodyListener {

    private final BlockingExchange owner;
    private final RequestBody body;
    private final LoopSignal signal = new LoopSignal();
    private final Runnable requestPiece;
    private byte[] buffer = new byte[0];
    private int position;
    private int limit;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    BlockingRequestBody(BlockingExchange owner, RequestBody body) {
        this.owner = owner;
        this.body = body;
        this.requestPiece = this::requestPiece;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public void close() {
        closed = true; // what is left is discarded by the engine after the response
    }

    /** Makes at least one byte available; false at the end of the body. */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("the request body stream is closed");
        }
        while (position == limit) {
            if (ended) {
                return false;
            }
            if (failure != null) {
                throw new IOException("the request body failed: " + failure.getMessage(), failure);
            }
            owner.checkNotAborted();
            signal.arm();
            owner.submit(requestPiece);
            signal.await();
        }
        return true;
    }

    // ---- on the loop

    private void requestPiece() {
        Throwable aborted = owner.abortCause();
        if (aborted != null) {
            signal.fail(aborted);
            return;
        }
        try {
            body.read(this);
        } catch (IllegalStateException over) {
            failure = over;
            signal.complete();
        }
    }

    @Override
    public void onData(MemorySegment data, long offset, int length) {
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, Math.min(2 * buffer.length, BlockingExchange.BUFFER_BYTES * 4))];
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, buffer, 0, length);
        position = 0;
        limit = length;
        signal.complete();
    }

    @Override
    public void onEnd() {
        ended = true;
        signal.complete();
    }

    @Override
    public void onError(Throwable cause) {
        failure = cause;
        signal.complete();
    }

    void aborted(Throwable cause) {
        signal.fail(cause);
    }
}

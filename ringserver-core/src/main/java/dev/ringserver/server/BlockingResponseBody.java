package dev.ringserver.server;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The response body as an {@link OutputStream}. Bytes collect in a buffer; a full buffer or
 * {@link #flush()} hands them to the loop and waits until the connection can take more, and
 * {@link #close()} ends the response (with a {@code Content-Length} when nothing was flushed before).
 *
 * <p>Written by one handler thread. The buffer is handed to the loop only while that thread waits, so
 * it is never copied again.
 */
final class BlockingResponseBody extends OutputStream {

    /** The most handed to the loop at once, so that no write alone can exceed the outbound limit. */
    private static final int MAX_PIECE_BYTES = 4 * BlockingExchange.BUFFER_BYTES;

    private final BlockingExchange owner;
    private final HttpResponse response;
    private final LoopSignal signal = new LoopSignal();
    private final byte[] buffer = new byte[BlockingExchange.BUFFER_BYTES];
    private int count;
    private boolean closed;

    BlockingResponseBody(BlockingExchange owner, HttpResponse response) {
        this.owner = owner;
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        if (count == buffer.length) {
            send(buffer, 0, count, false);
            count = 0;
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkOpen();
        if (length >= buffer.length) {
            if (count > 0) {
                send(buffer, 0, count, false);
                count = 0;
            }
            for (int done = 0; done < length; ) { // large writes go straight from the caller's array
                int piece = Math.min(length - done, MAX_PIECE_BYTES);
                send(data, offset + done, piece, false);
                done += piece;
            }
            return;
        }
        if (length > buffer.length - count) {
            send(buffer, 0, count, false);
            count = 0;
        }
        System.arraycopy(data, offset, buffer, count, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        if (count > 0 || !owner.isCommitted()) {
            send(buffer, 0, count, false);
            count = 0;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        send(buffer, 0, count, true);
        count = 0;
    }

    /** Hands {@code data[offset, offset + length)} to the loop and waits until it is queued and writable. */
    private void send(byte[] data, int offset, int length, boolean last) throws IOException {
        owner.checkNotAborted();
        owner.committing();
        MemorySegment piece = MemorySegment.ofArray(data);
        signal.arm();
        owner.submit(() -> {
            Throwable aborted = owner.abortCause();
            if (aborted != null) {
                signal.fail(aborted);
                return;
            }
            try {
                owner.commitOnLoop(response);
                if (last) {
                    response.end(piece, offset, length);
                    signal.complete();
                } else {
                    response.write(piece, offset, length);
                    response.whenWritable(signal::complete);
                }
            } catch (RuntimeException e) {
                signal.fail(e);
            }
        });
        signal.await();
    }

    void aborted(Throwable cause) {
        signal.fail(cause);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the response body stream is closed");
        }
    }
}

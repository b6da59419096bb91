package dev.ringserver.spring.reactive;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream (RFC 1952) produced buffer by buffer: a raw {@link Deflater} framed with the 10-byte
 * header and the CRC-32/ISIZE trailer written here, so the body can be compressed as it streams and
 * {@link #flush()}ed at any point (SYNC_FLUSH: everything so far decodable, as server-sent events
 * need).
 *
 * <p>The deflater's native memory (about 256 KiB) is taken at the first byte, not before, and given
 * back by {@link #close()}, which must be called in every case. Not thread-safe: the calls follow one
 * Reactive Streams sequence; {@code close()} may race a cancelled sequence, and a call after it
 * produces nothing.
 */
final class GzipEncoder implements AutoCloseable {

    /** ID1 ID2, CM = deflate, no flags, no mtime, XFL = 0, OS = unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int MIN_OUTPUT = 512;
    private static final int MAX_INITIAL_OUTPUT = 32 * 1024;

    private final DataBufferFactory bufferFactory;
    private final int level;
    private final CRC32 crc = new CRC32();
    private @Nullable Deflater deflater;
    private volatile boolean closed;
    private boolean headerWritten;
    private byte[] out = new byte[0];
    private int outLength;

    GzipEncoder(DataBufferFactory bufferFactory, int level) {
        this.bufferFactory = bufferFactory;
        this.level = level;
    }

    /** Compresses {@code input} (released here); returns what the deflater emitted, or null for nothing yet. */
    @Nullable DataBuffer compress(DataBuffer input) {
        return compress(input, false);
    }

    /**
     * Compresses {@code input} (released here) as the whole rest of the stream and finishes it: one
     * buffer with everything, so a single-buffer body stays a single buffer.
     */
    @Nullable DataBuffer compressLast(DataBuffer input) {
        return compress(input, true);
    }

    private @Nullable DataBuffer compress(DataBuffer input, boolean last) {
        try {
            if (closed) {
                return null;
            }
            Deflater deflater = deflater();
            start(input.readableByteCount() / 2);
            try (DataBuffer.ByteBufferIterator buffers = input.readableByteBuffers()) {
                while (buffers.hasNext()) {
                    ByteBuffer next = buffers.next();
                    crc.update(next.duplicate());
                    deflater.setInput(next);
                    while (!deflater.needsInput()) {
                        deflate(deflater, Deflater.NO_FLUSH);
                    }
                }
            }
            if (last) {
                finishInto(deflater);
            }
            return take();
        } catch (RuntimeException e) {
            return failedAfterClose(e);
        } finally {
            DataBufferUtils.release(input);
        }
    }

    /** Makes everything compressed so far decodable by the client (a SYNC_FLUSH block). */
    @Nullable DataBuffer flush() {
        try {
            if (closed) {
                return null;
            }
            Deflater deflater = deflater();
            start(MIN_OUTPUT);
            // Full output means the deflater may have more: a flush is complete once it stops short.
            while (deflate(deflater, Deflater.SYNC_FLUSH) == 0) {
                grow();
            }
            return take();
        } catch (RuntimeException e) {
            return failedAfterClose(e);
        }
    }

    /** Ends the stream: the last block, then CRC-32 and the length modulo 2^32, little-endian. */
    @Nullable DataBuffer finish() {
        try {
            if (closed) {
                return null;
            }
            start(MIN_OUTPUT);
            finishInto(deflater());
            return take();
        } catch (RuntimeException e) {
            return failedAfterClose(e);
        }
    }

    private void finishInto(Deflater deflater) {
        deflater.finish();
        while (!deflater.finished()) {
            deflate(deflater, Deflater.NO_FLUSH);
        }
        ensure(8);
        putIntLe((int) crc.getValue());
        putIntLe((int) deflater.getBytesRead());
    }

    /** Gives the deflater's native memory back. Idempotent; any thread. */
    @Override
    public void close() {
        closed = true;
        Deflater current = deflater;
        if (current != null) {
            current.end(); // the Deflater guards its native state; a racing call then throws, see below
        }
    }

    private Deflater deflater() {
        if (deflater == null) {
            deflater = new Deflater(level, true); // raw deflate: the gzip framing is written here
        }
        return deflater;
    }

    /** Starts an output buffer with room for about {@code expected} bytes, and the header first time. */
    private void start(int expected) {
        out = new byte[Math.clamp(expected, MIN_OUTPUT, MAX_INITIAL_OUTPUT)];
        outLength = 0;
        if (!headerWritten) {
            headerWritten = true;
            System.arraycopy(HEADER, 0, out, 0, HEADER.length);
            outLength = HEADER.length;
        }
    }

    /** Deflates into the free space (growing it first when full); returns the space left after. */
    private int deflate(Deflater deflater, int flush) {
        if (outLength == out.length) {
            grow();
        }
        outLength += deflater.deflate(out, outLength, out.length - outLength, flush);
        return out.length - outLength;
    }

    private void grow() {
        out = Arrays.copyOf(out, out.length * 2);
    }

    private void ensure(int room) {
        if (out.length - outLength < room) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + room));
        }
    }

    private void putIntLe(int value) {
        out[outLength++] = (byte) value;
        out[outLength++] = (byte) (value >>> 8);
        out[outLength++] = (byte) (value >>> 16);
        out[outLength++] = (byte) (value >>> 24);
    }

    private @Nullable DataBuffer take() {
        if (outLength == 0) {
            return null;
        }
        DataBuffer buffer = bufferFactory.wrap(ByteBuffer.wrap(out, 0, outLength));
        out = new byte[0];
        outLength = 0;
        return buffer;
    }

    /** A deflater ended by a concurrent close (the write was cancelled) fails; nobody waits for it. */
    private @Nullable DataBuffer failedAfterClose(RuntimeException e) {
        if (closed) {
            return null;
        }
        throw e;
    }
}

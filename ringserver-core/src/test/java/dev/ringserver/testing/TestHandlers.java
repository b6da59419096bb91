package dev.ringserver.testing;

import dev.ringserver.server.Connection;
import dev.ringserver.server.ConnectionHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Small protocols for the conformance tests. */
public final class TestHandlers {

    private TestHandlers() {
    }

    /** What handlers report about finished connections; thread-safe. */
    public static final class Closures {
        private final Queue<Throwable> causes = new ConcurrentLinkedQueue<>();
        private final AtomicLong closed = new AtomicLong();
        private final AtomicLong orderly = new AtomicLong();

        void record(Throwable cause) {
            if (cause == null) {
                orderly.incrementAndGet();
            } else {
                causes.add(cause);
            }
            closed.incrementAndGet();
        }

        public long closed() {
            return closed.get();
        }

        public long orderly() {
            return orderly.get();
        }

        public Queue<Throwable> causes() {
            return causes;
        }
    }

    /**
     * Echoes everything back. When the outgoing queue is full it consumes nothing, so the connection
     * keeps the bytes and stops reading, and resumes once the queue has drained: a fast sender is
     * slowed by TCP flow control and nothing is lost or copied twice.
     */
    public static ConnectionHandler.Factory echo(Closures closures) {
        return connection -> new ConnectionHandler() {
            @Override
            public int onRead(Connection c, MemorySegment data, int offset, int length) {
                boolean queued = c.write(data, offset, length);
                c.flush();
                return queued ? length : 0;
            }

            @Override
            public void onWritable(Connection c) {
                c.resumeReading();
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closures.record(cause);
            }
        };
    }

    /** Sends {@code total} bytes of a known pattern (byte i is {@code (byte) i}) and then closes. */
    public static ConnectionHandler.Factory source(long total, Closures closures) {
        return connection -> new ConnectionHandler() {
            // NATIVE: a shared pattern block in an automatic arena, read by this loop's writes only.
            private final MemorySegment pattern = patternBlock();
            private long sent;

            @Override
            public void onOpen(Connection c) {
                fill(c);
            }

            @Override
            public int onRead(Connection c, MemorySegment data, int offset, int length) {
                return length; // requests are ignored
            }

            @Override
            public void onWritable(Connection c) {
                fill(c);
            }

            private void fill(Connection c) {
                while (sent < total) {
                    long n = Math.min(pattern.byteSize(), total - sent);
                    if (!c.write(pattern, 0, n)) {
                        break;
                    }
                    sent += n;
                }
                c.flush();
                if (sent == total) {
                    c.close();
                }
            }

            @Override
            public void onInputClosed(Connection c) {
                // keep sending until done
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closures.record(cause);
            }
        };
    }

    /** 64 KiB whose byte i is {@code (byte) i}, so any offset of the stream is checkable. */
    public static MemorySegment patternBlock() {
        MemorySegment block = Arena.ofAuto().allocate(64 * 1024);
        for (int i = 0; i < block.byteSize(); i++) {
            block.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        return block;
    }
}

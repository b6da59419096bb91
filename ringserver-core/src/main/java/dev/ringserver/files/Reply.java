package dev.ringserver.files;

import dev.ringserver.io.FileHandle;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpResponse;

import java.lang.foreign.MemorySegment;

/**
 * A response decided on the file-system executor and written on the exchange's event loop, where it
 * is posted as a task: status, fields and body leave in the loop's order without a hop per call.
 *
 * <p>A reply owns the file handle it carries until it gives it to {@link HttpResponse#sendFile} (which
 * then closes it whatever happens); {@link #release()} closes whatever it still holds, and is called
 * when the exchange was aborted before the reply ran, when writing fails, or when the loop refuses the
 * task. Runs on the loop only.
 */
abstract class Reply implements Runnable {

    final HttpExchange exchange;
    final StaticFileCounters counters;
    private final int status;
    private final String[] fields;

    /** @param fields names and values, alternating */
    Reply(HttpExchange exchange, StaticFileCounters counters, int status, String[] fields) {
        this.exchange = exchange;
        this.counters = counters;
        this.status = status;
        this.fields = fields;
    }

    @Override
    public final void run() {
        if (exchange.isAborted()) {
            release(); // the client left while the file was being looked up
            return;
        }
        HttpResponse response = exchange.response();
        try {
            response.status(status);
            for (int i = 0; i < fields.length; i += 2) {
                response.header(fields[i], fields[i + 1]);
            }
            send(response);
        } catch (RuntimeException e) {
            release();
            exchange.fail(e);
        }
    }

    /** Writes the body and ends the response; status and fields are set. */
    abstract void send(HttpResponse response);

    /** Closes what the reply still holds; idempotent. */
    void release() {
    }

    /** A body from memory (a cached file, part of one, or a short text), or none. */
    static final class Buffer extends Reply {

        private final MemorySegment body;
        private final long offset;
        private final long length;
        private final boolean headOnly;
        private final boolean fileBytes;

        /**
         * @param body      the bytes, or null for no body (304)
         * @param length    the body's length; for {@code headOnly}, the Content-Length to announce
         * @param headOnly  a HEAD request: announce {@code length}, send nothing
         * @param fileBytes whether the body is file content (counted as copied)
         */
        Buffer(HttpExchange exchange, StaticFileCounters counters, int status, String[] fields, MemorySegment body,
               long offset, long length, boolean headOnly, boolean fileBytes) {
            super(exchange, counters, status, fields);
            this.body = body;
            this.offset = offset;
            this.length = length;
            this.headOnly = headOnly;
            this.fileBytes = fileBytes;
        }

        @Override
        void send(HttpResponse response) {
            if (headOnly) {
                response.contentLength(length);
                response.end();
            } else if (body == null) {
                response.end();
            } else {
                if (fileBytes) {
                    counters.add(StaticFileCounter.COPIED_BYTES, length); // before the client can see it
                }
                // not committed yet: the length becomes Content-Length, and head and body leave in one write
                response.end(body, offset, length);
            }
        }
    }

    /** One region of an open file, by sendfile. */
    static final class Region extends Reply {

        private final long position;
        private final long count;
        private FileHandle handle;

        Region(HttpExchange exchange, StaticFileCounters counters, int status, String[] fields, FileHandle handle,
               long position, long count) {
            super(exchange, counters, status, fields);
            this.handle = handle;
            this.position = position;
            this.count = count;
        }

        @Override
        void send(HttpResponse response) {
            response.contentLength(count);
            FileHandle file = handle;
            handle = null; // the response owns it from here, and closes it once sent or dropped
            counters.add(StaticFileCounter.SENDFILE_BYTES, count);
            response.sendFile(file, position, count);
            response.end();
        }

        @Override
        void release() {
            if (handle != null) {
                OpenFileCache.closeQuietly(handle);
                handle = null;
            }
        }
    }
}

package dev.ringserver.files;

import dev.ringserver.io.FileHandle;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpResponse;

/**
 * Several ranges of an open file as {@code multipart/byteranges}: each part's head is written, then
 * its region goes by sendfile through its own {@linkplain FileHandle#share() share} of the file. A
 * connection queues only a few file regions at a time, so the parts go out as the response stays
 * writable and continue from {@link HttpResponse#whenWritable}.
 *
 * <p>The reply keeps its own reference to the file until the last part is queued; if the client goes
 * away first, the exchange's abort releases it (the queued shares are closed by the connection).
 * Loop thread only.
 */
final class MultipartReply extends Reply {

    private final Multipart multipart;
    private final ByteRanges ranges;
    private FileHandle handle;
    private HttpResponse response;
    private int next;

    MultipartReply(HttpExchange exchange, StaticFileCounters counters, String[] fields, FileHandle handle,
                   ByteRanges ranges, Multipart multipart) {
        super(exchange, counters, 206, fields);
        this.handle = handle;
        this.ranges = ranges;
        this.multipart = multipart;
    }

    @Override
    void send(HttpResponse response) {
        this.response = response;
        response.contentLength(multipart.contentLength());
        exchange.onAbort(cause -> release());
        writeParts();
    }

    private void writeParts() {
        if (handle == null) {
            return; // aborted while waiting to be writable
        }
        try {
            while (next < ranges.count()) {
                if (!response.isWritable()) {
                    response.whenWritable(this::writeParts);
                    return;
                }
                response.write(multipart.head(next));
                counters.add(StaticFileCounter.SENDFILE_BYTES, ranges.length(next));
                response.sendFile(handle.share(), ranges.first(next), ranges.length(next));
                next++;
            }
            response.end(multipart.closing());
        } catch (RuntimeException e) {
            release();
            exchange.fail(e);
            return;
        }
        release();
    }

    @Override
    void release() {
        if (handle != null) {
            OpenFileCache.closeQuietly(handle);
            handle = null;
        }
    }
}

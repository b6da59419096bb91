package dev.ringserver.http;

import java.lang.foreign.MemorySegment;

/**
 * Decodes a request head as its bytes arrive: {@link HeadScanner} finds the end and enforces the
 * limits that do not need the whole head, then {@link RequestParser} validates it once, in one pass.
 * The result does not depend on how the bytes were split. One instance per connection; confined to
 * its loop thread.
 */
public final class HeadDecoder {

    /** The head is not complete yet. */
    public static final int NEED_MORE = 0;

    private final HeadScanner scanner;
    private final RequestParser parser;

    public HeadDecoder(HttpConfig config) {
        this.scanner = new HeadScanner(config);
        this.parser = new RequestParser(config);
    }

    /** Starts a new head. */
    public void reset() {
        scanner.reset();
    }

    /** Whether a request line has started (empty lines before it do not count). */
    public boolean started() {
        return scanner.started();
    }

    /**
     * Continues with {@code data[start, start + available)}: every byte received for this head so far,
     * contiguous.
     *
     * @return the head's length when it is complete and valid (it is then in {@code head}),
     *         {@link #NEED_MORE}, or a negative HTTP status to answer with (-400, -413, -414, -417,
     *         -431, -501, -505)
     */
    public int decode(MemorySegment data, long start, int available, RequestHead head) {
        int length = scanner.scan(data, start, available);
        if (length <= 0) {
            return length;
        }
        int status = parser.parse(data, start, length, scanner.leadingBytes(), head);
        return status == 0 ? length : -status;
    }
}

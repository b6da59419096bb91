package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Finds where a request head ends while its bytes arrive, looking at each byte once however the
 * head is split. On the way it enforces what can be decided before the head is complete: lines end
 * with CR LF (a bare CR is always an error, a bare LF unless allowed), the request line is at most
 * {@code maxRequestLineBytes} (414), the header section at most {@code maxHeaderBytes} and
 * {@code maxHeaderCount} lines (431). Empty lines before the request line are skipped, as RFC 9112
 * §2.2 recommends.
 *
 * <p>The head's bytes must be contiguous: each call passes everything received so far from the
 * head's first byte, and scanning resumes where the last call stopped. One instance per connection;
 * not thread-safe.
 */
final class HeadScanner {

    /** The head is not complete yet. */
    static final int NEED_MORE = 0;

    private static final int LEADING = 0;
    private static final int REQUEST_LINE = 1;
    private static final int HEADERS = 2;

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final boolean allowBareLf;

    private int scanned;
    private int phase;
    private int requestLineStart;
    private int headersStart;
    private int headerLines;
    /** The first index past the current phase's limit. */
    private int limitEnd;
    private boolean lastWasCr;
    private boolean lineHasContent;

    HeadScanner(HttpConfig config) {
        this.maxRequestLineBytes = config.maxRequestLineBytes();
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.maxHeaderCount = config.maxHeaderCount();
        this.allowBareLf = config.allowBareLf();
        reset();
    }

    /** Starts a new head. */
    void reset() {
        scanned = 0;
        phase = LEADING;
        requestLineStart = 0;
        headersStart = 0;
        headerLines = 0;
        limitEnd = maxRequestLineBytes;
        lastWasCr = false;
        lineHasContent = false;
    }

    /** Bytes of empty lines before the request line (valid once the head is complete). */
    int leadingBytes() {
        return requestLineStart;
    }

    /** Whether any byte of a request line has arrived (empty lines before it do not count). */
    boolean started() {
        return phase != LEADING;
    }

    /**
     * Continues scanning {@code data[start, start + available)}, the head's bytes received so far.
     *
     * @return the head's length (through its final blank line) when complete, {@link #NEED_MORE}, or a
     *         negative HTTP status: -400, -414 or -431
     */
    int scan(MemorySegment data, long start, int available) {
        for (int i = scanned; i < available; i++) {
            byte b = data.get(ValueLayout.JAVA_BYTE, start + i);
            int result = NEED_MORE;
            if (i >= limitEnd && countsTowardsLimit(b)) {
                result = overLimitStatus(); // checked per byte, so the first violation wins however the head is split
            } else if (lastWasCr) {
                lastWasCr = false;
                result = b == '\n' ? lineEnded(i + 1) : -HttpStatus.BAD_REQUEST; // CR must be followed by LF
            } else if (b == '\r') {
                lastWasCr = true;
            } else if (b == '\n') {
                result = allowBareLf ? lineEnded(i + 1) : -HttpStatus.BAD_REQUEST;
            } else {
                lineHasContent = true;
                if (phase == LEADING) {
                    phase = REQUEST_LINE;
                    requestLineStart = i;
                    limitEnd = i + maxRequestLineBytes;
                }
            }
            if (result != NEED_MORE) {
                scanned = i + 1;
                return result;
            }
        }
        scanned = available;
        return NEED_MORE;
    }

    /** A line ended just before {@code next}; returns the head length if it was the final blank line. */
    private int lineEnded(int next) {
        boolean empty = !lineHasContent;
        lineHasContent = false;
        switch (phase) {
            case LEADING -> {
                return NEED_MORE;
            }
            case REQUEST_LINE -> {
                phase = HEADERS;
                headersStart = next;
                limitEnd = next + maxHeaderBytes;
                return NEED_MORE;
            }
            default -> {
                if (empty) {
                    return next;
                }
                return ++headerLines > maxHeaderCount ? -HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : NEED_MORE;
            }
        }
    }

    /**
     * Empty lines before the request line count their line endings (the first other byte starts the
     * request line); the request line counts its content, not its line ending; the header section
     * counts every byte.
     */
    private boolean countsTowardsLimit(byte b) {
        boolean lineEnding = b == '\r' || b == '\n';
        return switch (phase) {
            case LEADING -> lineEnding;
            case REQUEST_LINE -> !lineEnding;
            default -> true;
        };
    }

    private int overLimitStatus() {
        return switch (phase) {
            case LEADING -> -HttpStatus.BAD_REQUEST; // endless empty lines
            case REQUEST_LINE -> -HttpStatus.URI_TOO_LONG;
            default -> -HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        };
    }
}

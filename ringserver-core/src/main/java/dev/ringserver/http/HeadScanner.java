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
    private boolean lastWasCr;
    private boolean lineHasContent;

    HeadScanner(HttpConfig config) {
        this.maxRequestLineBytes = config.maxRequestLineBytes();
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.maxHeaderCount = config.maxHeaderCount();
        this.allowBareLf = config.allowBareLf();
    }

    /** Starts a new head. */
    void reset() {
        scanned = 0;
        phase = LEADING;
        requestLineStart = 0;
        headersStart = 0;
        headerLines = 0;
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
            if (lastWasCr) {
                lastWasCr = false;
                result = b == '\n' ? lineEnded(i + 1, 2) : -HttpStatus.BAD_REQUEST; // CR must be followed by LF
            } else if (b == '\r') {
                lastWasCr = true;
            } else if (b == '\n') {
                result = allowBareLf ? lineEnded(i + 1, 1) : -HttpStatus.BAD_REQUEST;
            } else {
                lineHasContent = true;
                if (phase == LEADING) {
                    phase = REQUEST_LINE;
                    requestLineStart = i;
                }
            }
            if (result != NEED_MORE) {
                scanned = i + 1;
                return result;
            }
        }
        scanned = available;
        return checkLimits(available);
    }

    /** A line ended just before {@code next}; returns the head length if it was the final blank line. */
    private int lineEnded(int next, int terminator) {
        boolean empty = !lineHasContent;
        lineHasContent = false;
        switch (phase) {
            case LEADING -> {
                return next > maxRequestLineBytes ? -HttpStatus.BAD_REQUEST : NEED_MORE; // endless empty lines
            }
            case REQUEST_LINE -> {
                if (next - terminator - requestLineStart > maxRequestLineBytes) {
                    return -HttpStatus.URI_TOO_LONG;
                }
                phase = HEADERS;
                headersStart = next;
                return NEED_MORE;
            }
            default -> {
                if (next - headersStart > maxHeaderBytes) {
                    return -HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
                }
                if (empty) {
                    return next;
                }
                return ++headerLines > maxHeaderCount ? -HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : NEED_MORE;
            }
        }
    }

    private int checkLimits(int available) {
        int pendingCr = lastWasCr ? 1 : 0;
        if (phase == REQUEST_LINE && available - pendingCr - requestLineStart > maxRequestLineBytes) {
            return -HttpStatus.URI_TOO_LONG;
        }
        if (phase == HEADERS && available - headersStart > maxHeaderBytes) {
            return -HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (phase == LEADING && available > maxRequestLineBytes) {
            return -HttpStatus.BAD_REQUEST;
        }
        return NEED_MORE;
    }
}

package dev.ringserver.server;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Finds the ends of request heads (CR LF CR LF) in a byte stream that arrives in pieces, remembering
 * a partial match across pieces, and how many bytes the current unfinished head has. Used by the
 * fixed responder until the HTTP engine replaces it. One instance per connection; not thread-safe.
 */
final class HeadBoundaryScanner {

    /** How much of CR LF CR LF the bytes seen so far end with (0 to 3). */
    private int matched;
    private long unfinished;

    /** Scans {@code data[0, length)} and returns how many heads ended in it. */
    int scan(MemorySegment data, int length) {
        int heads = 0;
        int lastEnd = -1;
        for (int i = 0; i < length; i++) {
            byte b = data.get(ValueLayout.JAVA_BYTE, i);
            if (b == '\r') {
                matched = matched == 2 ? 3 : 1;
            } else if (b == '\n' && matched == 1) {
                matched = 2;
            } else if (b == '\n' && matched == 3) {
                heads++;
                matched = 0;
                lastEnd = i;
            } else {
                matched = 0;
            }
        }
        unfinished = lastEnd < 0 ? unfinished + length : length - lastEnd - 1;
        return heads;
    }

    /** Bytes received since the last complete head. */
    long unfinishedBytes() {
        return unfinished;
    }
}

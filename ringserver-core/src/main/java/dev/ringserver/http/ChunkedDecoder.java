package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes a chunked request body (RFC 9112 §7.1) as it arrives, however it is split. It hands out the
 * body's data as ranges of the input (nothing is copied) and validates everything else strictly:
 * hex sizes without overflow, extensions ({@code ;name} or {@code ;name=token} or
 * {@code ;name="quoted"}), CR LF line ends, and trailer fields like header fields. Bounds: a chunk-size
 * line longer than {@code maxChunkLineBytes} gets 400, a body above {@code maxBodyBytes} gets 413,
 * trailers above {@code maxTrailerBytes} get 431.
 *
 * <p>Use: call {@link #decode} until it has consumed the input; after each call, {@link #dataLength()}
 * bytes at {@link #dataOffset()} (if any) are body data, {@link #isDone()} says the body ended, and
 * {@link #error()} gives a status when it is malformed. One instance per connection; not thread-safe.
 */
public final class ChunkedDecoder {

    private static final int SIZE_START = 0;
    private static final int SIZE = 1;
    private static final int EXT_SPACE = 2;
    private static final int EXT_NAME_START = 3;
    private static final int EXT_NAME = 4;
    private static final int EXT_AFTER_NAME = 5;
    private static final int EXT_VALUE_START = 6;
    private static final int EXT_TOKEN = 7;
    private static final int EXT_QUOTED = 8;
    private static final int EXT_ESCAPE = 9;
    private static final int SIZE_LF = 10;
    private static final int DATA = 11;
    private static final int DATA_CR = 12;
    private static final int DATA_LF = 13;
    private static final int TRAILER_LINE = 14;
    private static final int TRAILER_NAME = 15;
    private static final int TRAILER_VALUE = 16;
    private static final int TRAILER_LF = 17;
    private static final int END_LF = 18;
    private static final int DONE = 19;
    private static final int FAILED = 20;
    /** Whitespace after the size or an extension: only more whitespace or ';' may follow (BWS). */
    private static final int EXT_BWS = 21;

    private final int maxLine;
    private final long maxBody;
    private final int maxTrailer;
    private final boolean allowBareLf;

    private int state;
    private long size;
    private long remaining;
    private long total;
    private int lineBytes;
    private int trailerBytes;
    private int error;
    private long dataOffset;
    private int dataLength;

    public ChunkedDecoder(HttpConfig config) {
        this.maxLine = config.maxChunkLineBytes();
        this.maxBody = config.maxBodyBytes();
        this.maxTrailer = config.maxTrailerBytes();
        this.allowBareLf = config.allowBareLf();
    }

    /** Starts a new body. */
    public void reset() {
        state = SIZE_START;
        size = 0;
        remaining = 0;
        total = 0;
        lineBytes = 0;
        trailerBytes = 0;
        error = 0;
        dataLength = 0;
    }

    public boolean isDone() {
        return state == DONE;
    }

    /** 0, or the status for a malformed body: 400, 413 or 431. */
    public int error() {
        return error;
    }

    /** Where the data found by the last {@link #decode} starts (an absolute offset in its input). */
    public long dataOffset() {
        return dataOffset;
    }

    /** How many data bytes the last {@link #decode} found (0 if none). */
    public int dataLength() {
        return dataLength;
    }

    /** Body bytes decoded so far. */
    public long total() {
        return total;
    }

    /**
     * Consumes {@code in[offset, offset + length)} until it has found one range of data, the body has
     * ended, an error occurred, or the input is used up.
     *
     * @return bytes consumed
     */
    public int decode(MemorySegment in, long offset, int length) {
        dataLength = 0;
        int i = 0;
        while (i < length && state != DONE && state != FAILED) {
            if (state == DATA) {
                int n = (int) Math.min(remaining, length - i);
                dataOffset = offset + i;
                dataLength = n;
                remaining -= n;
                total += n;
                if (remaining == 0) {
                    state = DATA_CR;
                }
                return i + n;
            }
            if (!step(in.get(ValueLayout.JAVA_BYTE, offset + i))) {
                return i + 1;
            }
            i++;
        }
        return i;
    }

    /** Processes one byte outside chunk data; false when decoding stopped (error or end). */
    private boolean step(byte b) {
        switch (state) {
            case SIZE_START, SIZE -> {
                if (HttpChars.isHex(b)) {
                    if (size > (Long.MAX_VALUE >> 4)) {
                        return fail(HttpStatus.BAD_REQUEST); // the next digit would overflow
                    }
                    size = (size << 4) | HttpChars.hexValue(b);
                    state = SIZE;
                    return countLine();
                }
                if (state == SIZE_START) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
                return extension(b, EXT_SPACE);
            }
            case EXT_SPACE, EXT_BWS, EXT_NAME_START, EXT_NAME, EXT_AFTER_NAME, EXT_VALUE_START, EXT_TOKEN, EXT_QUOTED,
                 EXT_ESCAPE -> {
                return extension(b, state);
            }
            case SIZE_LF -> {
                return b == '\n' ? sizeLineEnded() : fail(HttpStatus.BAD_REQUEST);
            }
            case DATA_CR -> {
                if (b == '\r') {
                    state = DATA_LF;
                    return true;
                }
                if (b == '\n' && allowBareLf) {
                    return startSizeLine();
                }
                return fail(HttpStatus.BAD_REQUEST);
            }
            case DATA_LF -> {
                return b == '\n' ? startSizeLine() : fail(HttpStatus.BAD_REQUEST);
            }
            default -> {
                return trailer(b);
            }
        }
    }

    /** The chunk-ext grammar, byte by byte; ends with CR (or LF when allowed). */
    private boolean extension(byte b, int current) {
        if (b == '\r' || (b == '\n' && allowBareLf)) { // the line ending does not count towards the limit
            if (current != EXT_SPACE && current != EXT_NAME && current != EXT_TOKEN) {
                return fail(HttpStatus.BAD_REQUEST); // ended inside an extension or after whitespace (BWS)
            }
            if (b == '\n') {
                return sizeLineEnded();
            }
            state = SIZE_LF;
            return true;
        }
        if (!countLine()) {
            return false;
        }
        boolean space = b == ' ' || b == '\t';
        switch (current) {
            case EXT_SPACE, EXT_BWS, EXT_AFTER_NAME -> {
                if (b == ';') {
                    state = EXT_NAME_START;
                } else if (b == '=' && current == EXT_AFTER_NAME) {
                    state = EXT_VALUE_START;
                } else if (!space) {
                    return fail(HttpStatus.BAD_REQUEST);
                } else {
                    state = current == EXT_AFTER_NAME ? EXT_AFTER_NAME : EXT_BWS;
                }
            }
            case EXT_NAME_START -> {
                if (HttpChars.isTchar(b)) {
                    state = EXT_NAME;
                } else if (!space) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
            }
            case EXT_NAME -> {
                if (b == '=') {
                    state = EXT_VALUE_START;
                } else if (b == ';') {
                    state = EXT_NAME_START;
                } else if (space) {
                    state = EXT_AFTER_NAME;
                } else if (!HttpChars.isTchar(b)) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
            }
            case EXT_VALUE_START -> {
                if (b == '"') {
                    state = EXT_QUOTED;
                } else if (HttpChars.isTchar(b)) {
                    state = EXT_TOKEN;
                } else if (!space) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
            }
            case EXT_TOKEN -> {
                if (b == ';') {
                    state = EXT_NAME_START;
                } else if (space) {
                    state = EXT_BWS;
                } else if (!HttpChars.isTchar(b)) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
            }
            case EXT_QUOTED -> {
                if (b == '"') {
                    state = EXT_SPACE;
                } else if (b == '\\') {
                    state = EXT_ESCAPE;
                } else if (!HttpChars.isFieldValueByte(b)) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
            }
            default -> { // EXT_ESCAPE
                if (!HttpChars.isFieldValueByte(b)) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
                state = EXT_QUOTED;
            }
        }
        return true;
    }

    private boolean sizeLineEnded() {
        if (size == 0) {
            state = TRAILER_LINE;
            return true;
        }
        if (size > maxBody - total) {
            return fail(HttpStatus.CONTENT_TOO_LARGE);
        }
        remaining = size;
        state = DATA;
        return true;
    }

    private boolean startSizeLine() {
        size = 0;
        lineBytes = 0;
        state = SIZE_START;
        return true;
    }

    private boolean countLine() {
        return ++lineBytes <= maxLine || fail(HttpStatus.BAD_REQUEST);
    }

    /** The trailer section: field lines like header fields, then an empty line. */
    private boolean trailer(byte b) {
        if (++trailerBytes > maxTrailer) {
            return fail(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
        }
        switch (state) {
            case TRAILER_LINE -> {
                if (b == '\r') {
                    state = END_LF;
                } else if (b == '\n' && allowBareLf) {
                    state = DONE;
                    return false;
                } else if (HttpChars.isTchar(b)) {
                    state = TRAILER_NAME;
                } else {
                    return fail(HttpStatus.BAD_REQUEST); // includes obs-fold
                }
            }
            case TRAILER_NAME -> {
                if (b == ':') {
                    state = TRAILER_VALUE;
                } else if (!HttpChars.isTchar(b)) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
            }
            case TRAILER_VALUE -> {
                if (b == '\r') {
                    state = TRAILER_LF;
                } else if (b == '\n' && allowBareLf) {
                    state = TRAILER_LINE;
                } else if (!HttpChars.isFieldValueByte(b)) {
                    return fail(HttpStatus.BAD_REQUEST);
                }
            }
            case TRAILER_LF -> {
                if (b != '\n') {
                    return fail(HttpStatus.BAD_REQUEST);
                }
                state = TRAILER_LINE;
            }
            default -> { // END_LF
                if (b != '\n') {
                    return fail(HttpStatus.BAD_REQUEST);
                }
                state = DONE;
                return false;
            }
        }
        return true;
    }

    private boolean fail(int status) {
        error = status;
        state = FAILED;
        return false;
    }
}

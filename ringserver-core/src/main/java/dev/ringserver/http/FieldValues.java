package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parses the field values the engine acts on (RFC 9110 list syntax: elements separated by commas with
 * optional whitespace, empty elements ignored), straight from the head's bytes. Thread-safe:
 * stateless.
 */
final class FieldValues {

    /** {@link #transferCodings} flags. */
    static final int CHUNKED = 1;
    static final int CHUNKED_LAST = 1 << 1;
    static final int CHUNKED_TWICE = 1 << 2;
    static final int OTHER = 1 << 3;

    /** {@link #connectionOptions} flags. */
    static final int CLOSE = 1;
    static final int KEEP_ALIVE = 1 << 1;

    private FieldValues() {
    }

    /**
     * A Content-Length value: 1*DIGIT without overflow, or (when {@code allowList}) a list whose
     * elements are all the same number.
     *
     * @return the length, or -1 when the value is not valid
     */
    static long contentLength(MemorySegment data, long offset, int length, boolean allowList) {
        if (!allowList) {
            return digitsEnd(data, offset, length, 0) == length ? decimal(data, offset, 0, length) : -1;
        }
        long result = -1;
        int i = 0;
        while (i < length) {
            i = skipWhitespace(data, offset, length, i);
            if (i == length) {
                break;
            }
            if (at(data, offset, i) == ',') {
                i++;
                continue; // an empty list element
            }
            int end = digitsEnd(data, offset, length, i);
            long value = decimal(data, offset, i, end);
            if (value < 0 || (result >= 0 && value != result)) {
                return -1;
            }
            result = value;
            i = skipWhitespace(data, offset, length, end);
            if (i < length && at(data, offset, i) != ',') {
                return -1;
            }
        }
        return result;
    }

    private static int digitsEnd(MemorySegment data, long offset, int length, int i) {
        while (i < length && HttpChars.isDigit(at(data, offset, i))) {
            i++;
        }
        return i;
    }

    /** The value of the digits {@code [from, to)}; -1 when there are none or they overflow a long. */
    private static long decimal(MemorySegment data, long offset, int from, int to) {
        if (from == to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = at(data, offset, i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * The transfer codings of one Transfer-Encoding field as {@link #CHUNKED} (present),
     * {@link #CHUNKED_LAST} (the last coding), {@link #CHUNKED_TWICE} and {@link #OTHER} (a coding other
     * than chunked), or -1 when the value is not a valid list of codings.
     */
    static int transferCodings(MemorySegment data, long offset, int length) {
        int flags = 0;
        boolean lastIsChunked = false;
        int i = 0;
        while (i < length) {
            i = skipWhitespace(data, offset, length, i);
            if (i == length) {
                break; // whitespace after a trailing comma
            }
            if (at(data, offset, i) == ',') {
                i++;
                continue; // an empty list element
            }
            int token = i;
            while (i < length && HttpChars.isTchar(at(data, offset, i))) {
                i++;
            }
            if (i == token) {
                return -1;
            }
            boolean chunked = equalsIgnoreCase(data, offset + token, i - token, "chunked");
            i = skipWhitespace(data, offset, length, i);
            if (i < length && at(data, offset, i) == ';') {
                if (chunked) {
                    return -1; // chunked takes no parameters
                }
                i = skipParameters(data, offset, length, i);
                if (i < 0) {
                    return -1;
                }
            }
            if (i < length && at(data, offset, i) != ',') {
                return -1;
            }
            if (chunked) {
                flags |= (flags & CHUNKED) != 0 ? CHUNKED_TWICE : CHUNKED;
            } else {
                flags |= OTHER;
            }
            lastIsChunked = chunked;
            i++;
        }
        return lastIsChunked ? flags | CHUNKED_LAST : flags;
    }

    /** The {@link #CLOSE} and {@link #KEEP_ALIVE} options of a Connection field; others are ignored. */
    static int connectionOptions(MemorySegment data, long offset, int length) {
        int flags = 0;
        int i = 0;
        while (i < length) {
            i = skipWhitespace(data, offset, length, i);
            int token = i;
            while (i < length && at(data, offset, i) != ',' && at(data, offset, i) != ' ' && at(data, offset, i) != '\t') {
                i++;
            }
            if (equalsIgnoreCase(data, offset + token, i - token, "close")) {
                flags |= CLOSE;
            } else if (equalsIgnoreCase(data, offset + token, i - token, "keep-alive")) {
                flags |= KEEP_ALIVE;
            }
            while (i < length && at(data, offset, i) != ',') {
                i++;
            }
            i++;
        }
        return flags;
    }

    /** Whether an Expect value is exactly {@code 100-continue} (any case). */
    static boolean isContinue(MemorySegment data, long offset, int length) {
        return equalsIgnoreCase(data, offset, length, "100-continue");
    }

    /** Whether {@code data[offset, offset + length)} equals the lower-case ASCII {@code expected}, any case. */
    static boolean equalsIgnoreCase(MemorySegment data, long offset, int length, String expected) {
        if (length != expected.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (HttpChars.lower(data.get(ValueLayout.JAVA_BYTE, offset + i)) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Skips {@code *( OWS ";" OWS token OWS "=" OWS ( token / quoted-string ) )}; -1 if malformed. */
    private static int skipParameters(MemorySegment data, long offset, int length, int i) {
        while (i < length && at(data, offset, i) == ';') {
            i = skipWhitespace(data, offset, length, i + 1);
            int name = i;
            while (i < length && HttpChars.isTchar(at(data, offset, i))) {
                i++;
            }
            if (i == name) {
                return -1;
            }
            i = skipWhitespace(data, offset, length, i);
            if (i >= length || at(data, offset, i) != '=') {
                return -1;
            }
            i = skipWhitespace(data, offset, length, i + 1);
            i = skipTokenOrQuoted(data, offset, length, i);
            if (i < 0) {
                return -1;
            }
            i = skipWhitespace(data, offset, length, i);
        }
        return i;
    }

    /** Skips a token or a quoted-string starting at {@code i}; returns the index after it, or -1. */
    static int skipTokenOrQuoted(MemorySegment data, long offset, int length, int i) {
        if (i < length && at(data, offset, i) == '"') {
            i++;
            while (i < length) {
                byte b = at(data, offset, i);
                if (b == '"') {
                    return i + 1;
                }
                if (b == '\\') {
                    i++;
                    if (i >= length || !HttpChars.isFieldValueByte(at(data, offset, i))) {
                        return -1;
                    }
                } else if (!HttpChars.isFieldValueByte(b)) {
                    return -1;
                }
                i++;
            }
            return -1;
        }
        int token = i;
        while (i < length && HttpChars.isTchar(at(data, offset, i))) {
            i++;
        }
        return i == token ? -1 : i;
    }

    private static int skipWhitespace(MemorySegment data, long offset, int length, int i) {
        while (i < length && (at(data, offset, i) == ' ' || at(data, offset, i) == '\t')) {
            i++;
        }
        return i;
    }

    private static byte at(MemorySegment data, long offset, int i) {
        return data.get(ValueLayout.JAVA_BYTE, offset + i);
    }
}

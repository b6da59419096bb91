package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Encodes a response head (status line, fields, blank line) into native scratch memory, ASCII byte by
 * byte, creating no strings or arrays. Names and values are validated first: a name must be a token,
 * a value may hold visible ASCII, obs-text, SP and HTAB only, so CR, LF and NUL can never split a
 * response.
 *
 * <p>One instance per event loop, reused for every response; not thread-safe.
 */
public final class ResponseHeadWriter {

    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};
    private static final byte[] DATE = {'D', 'a', 't', 'e', ':', ' '};

    private final MemorySegment scratch;
    private int length;

    /** @param scratch where heads are built; its size bounds a response head */
    public ResponseHeadWriter(MemorySegment scratch) {
        this.scratch = scratch;
    }

    /** The bytes written so far, from offset 0. */
    public MemorySegment bytes() {
        return scratch;
    }

    public int length() {
        return length;
    }

    /** Starts a head with {@code HTTP/1.1 <status> <reason>} and the current Date. */
    public ResponseHeadWriter start(int status) {
        length = 0;
        put(HTTP_1_1);
        putDigits(status);
        putByte((byte) ' ');
        putAscii(HttpStatus.reason(status));
        crlf();
        put(DATE);
        put(HttpDate.now());
        crlf();
        return this;
    }

    /** Adds a field; the caller validated it with {@link #checkName} and {@link #checkValue}. */
    public ResponseHeadWriter field(String name, String value) {
        putAscii(name);
        putByte((byte) ':');
        putByte((byte) ' ');
        putAscii(value);
        crlf();
        return this;
    }

    /** Adds a field with a decimal value. */
    public ResponseHeadWriter field(String name, long value) {
        putAscii(name);
        putByte((byte) ':');
        putByte((byte) ' ');
        putDigits(value);
        crlf();
        return this;
    }

    /** Ends the head with the blank line. */
    public ResponseHeadWriter end() {
        crlf();
        return this;
    }

    /** Writes {@code <hex size> CR LF}, the line before a chunk of a chunked body, into {@code dst}. */
    public static int chunkHeader(MemorySegment dst, long length) {
        int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(length)) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            int nibble = (int) (length >>> (4 * (digits - 1 - i))) & 0xF;
            dst.set(ValueLayout.JAVA_BYTE, i, (byte) (nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
        }
        dst.set(ValueLayout.JAVA_BYTE, digits, (byte) '\r');
        dst.set(ValueLayout.JAVA_BYTE, digits + 1, (byte) '\n');
        return digits + 2;
    }

    /**
     * @throws IllegalArgumentException unless {@code name} is a token (RFC 9110 §5.1)
     */
    public static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !HttpChars.isTchar((byte) c)) {
                throw new IllegalArgumentException("header name '" + name + "' has a character not allowed in a token: "
                        + describe(c));
            }
        }
    }

    /**
     * @throws IllegalArgumentException if {@code value} holds CR, LF, NUL, another control or a character
     *                                  that does not fit in one byte
     */
    public static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || !HttpChars.isFieldValueByte((byte) c)) {
                throw new IllegalArgumentException("value of header '" + name + "' has a character not allowed in a "
                        + "field value (response splitting): " + describe(c));
            }
        }
    }

    private static String describe(char c) {
        return String.format("U+%04X", (int) c);
    }

    private void putAscii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            scratch.set(ValueLayout.JAVA_BYTE, length + i, (byte) text.charAt(i));
        }
        length += text.length();
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        MemorySegment.copy(bytes, 0, scratch, ValueLayout.JAVA_BYTE, length, bytes.length);
        length += bytes.length;
    }

    private void putDigits(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            scratch.set(ValueLayout.JAVA_BYTE, length + i, (byte) ('0' + value % 10));
            value /= 10;
        }
        length += digits;
    }

    private void putByte(byte b) {
        ensure(1);
        scratch.set(ValueLayout.JAVA_BYTE, length++, b);
    }

    private void crlf() {
        putByte((byte) '\r');
        putByte((byte) '\n');
    }

    private void ensure(int bytes) {
        if (length + bytes > scratch.byteSize()) {
            throw new IllegalStateException("response head larger than " + scratch.byteSize() + " bytes");
        }
    }
}

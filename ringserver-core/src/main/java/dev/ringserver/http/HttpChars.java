package dev.ringserver.http;

/**
 * Character classes of RFC 9110/9112 and RFC 3986 as lookup tables over bytes, so validation costs
 * one array load per byte. Thread-safe: immutable tables.
 */
final class HttpChars {

    private static final byte TCHAR = 1;
    private static final byte FIELD_VCHAR = 1 << 1;
    private static final byte TARGET = 1 << 2;
    private static final byte HOST = 1 << 3;
    private static final byte HEX = 1 << 4;

    private static final byte[] CLASSES = new byte[256];

    static {
        // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            CLASSES[c] |= TCHAR;
        }
        for (int c = '0'; c <= '9'; c++) {
            CLASSES[c] |= TCHAR | TARGET | HOST | HEX;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            CLASSES[c] |= TCHAR | TARGET | HOST;
            CLASSES[c - 'a' + 'A'] |= TCHAR | TARGET | HOST;
        }
        for (int c = 'a'; c <= 'f'; c++) {
            CLASSES[c] |= HEX;
            CLASSES[c - 'a' + 'A'] |= HEX;
        }
        // field-vchar = VCHAR / obs-text; SP and HTAB are allowed inside a value, checked separately
        for (int c = 0x21; c <= 0x7E; c++) {
            CLASSES[c] |= FIELD_VCHAR;
        }
        for (int c = 0x80; c <= 0xFF; c++) {
            CLASSES[c] |= FIELD_VCHAR;
        }
        // request-target characters: unreserved / sub-delims / ":" / "@" / "/" / "?" / "%" (then HEXDIG HEXDIG)
        for (char c : "-._~!$&'()*+,;=:@/?%".toCharArray()) {
            CLASSES[c] |= TARGET;
        }
        // uri-host (reg-name, IPv4, IP-literal): unreserved / sub-delims / "%" / "[" / "]" / ":" (port)
        for (char c : "-._~!$&'()*+,;=%[]:".toCharArray()) {
            CLASSES[c] |= HOST;
        }
    }

    private HttpChars() {
    }

    static boolean isTchar(byte b) {
        return (CLASSES[b & 0xFF] & TCHAR) != 0;
    }

    /** A byte allowed in a field value: VCHAR, obs-text, SP or HTAB. */
    static boolean isFieldValueByte(byte b) {
        return (CLASSES[b & 0xFF] & FIELD_VCHAR) != 0 || b == ' ' || b == '\t';
    }

    static boolean isTargetByte(byte b) {
        return (CLASSES[b & 0xFF] & TARGET) != 0;
    }

    static boolean isHostByte(byte b) {
        return (CLASSES[b & 0xFF] & HOST) != 0;
    }

    static boolean isHex(byte b) {
        return (CLASSES[b & 0xFF] & HEX) != 0;
    }

    static int hexValue(byte b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isAlpha(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    /** ASCII lower case of a byte (other bytes unchanged). */
    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }
}

package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Validates request targets (RFC 9112 §3.2) and Host values (RFC 9110 §7.2, RFC 3986 §3.2.2).
 * Thread-safe: stateless.
 */
final class RequestTargets {

    private RequestTargets() {
    }

    /**
     * Decides the target's form, checks it is allowed for the method, and checks its bytes; records
     * the form and where the path and query start.
     */
    static boolean validate(MemorySegment data, long start, RequestHead head, boolean allowUnsafe) {
        int target = head.targetStart;
        int end = target + head.targetLength;
        if (head.method == HttpMethod.CONNECT) { // RFC 9110 9.3.6: host and port, nothing else
            head.targetForm = RequestHead.AUTHORITY_FORM;
            head.pathStart = target;
            return validAuthority(data, start + target, head.targetLength, true);
        }
        byte first = at(data, start, target);
        if (first == '/') {
            head.targetForm = RequestHead.ORIGIN_FORM;
            head.pathStart = target;
            return checkTargetBytes(data, start, head, target, end, allowUnsafe);
        }
        if (head.method == HttpMethod.OPTIONS && head.targetLength == 1 && first == '*') {
            head.targetForm = RequestHead.ASTERISK_FORM;
            head.pathStart = target;
            return true;
        }
        int colon = scheme(data, start, target, end);
        if (colon < 0 || end - colon < 3 || at(data, start, colon + 1) != '/' || at(data, start, colon + 2) != '/') {
            return false;
        }
        int authority = colon + 3;
        int authorityEnd = authority;
        while (authorityEnd < end && at(data, start, authorityEnd) != '/' && at(data, start, authorityEnd) != '?') {
            authorityEnd++;
        }
        if (authorityEnd == authority || !validAuthority(data, start + authority, authorityEnd - authority, false)) {
            return false;
        }
        head.targetForm = RequestHead.ABSOLUTE_FORM;
        head.pathStart = authorityEnd;
        return checkTargetBytes(data, start, head, authorityEnd, end, allowUnsafe);
    }

    /** A Host value: empty, or uri-host with an optional port; no user info. */
    static boolean validHost(MemorySegment data, long offset, int length) {
        return length == 0 || validAuthority(data, offset, length, false);
    }

    /**
     * {@code uri-host [ ":" port ]}: an IP literal in brackets, or a reg-name/IPv4 of host bytes
     * (unreserved, sub-delims, percent-encoded).
     */
    private static boolean validAuthority(MemorySegment data, long offset, int length, boolean portRequired) {
        int i = 0;
        if (length > 0 && at(data, offset, 0) == '[') {
            i = 1;
            while (i < length && at(data, offset, i) != ']') {
                byte b = at(data, offset, i);
                if (!HttpChars.isHex(b) && b != ':' && b != '.' && b != 'v' && b != 'V') {
                    return false;
                }
                i++;
            }
            if (i >= length || i == 1) {
                return false;
            }
            i++;
        } else {
            while (i < length && at(data, offset, i) != ':') {
                byte b = at(data, offset, i);
                if (!HttpChars.isHostByte(b) || b == '[' || b == ']') {
                    return false;
                }
                if (b == '%' && !(i + 2 < length && HttpChars.isHex(at(data, offset, i + 1))
                        && HttpChars.isHex(at(data, offset, i + 2)))) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == length) {
            return !portRequired;
        }
        if (at(data, offset, i) != ':') {
            return false;
        }
        int port = ++i;
        while (i < length && HttpChars.isDigit(at(data, offset, i))) {
            i++;
        }
        return i == length && (!portRequired || i > port) && i - port <= 5;
    }

    /** The index of the colon ending a scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}), or -1. */
    private static int scheme(MemorySegment data, long start, int target, int end) {
        if (!HttpChars.isAlpha(at(data, start, target))) {
            return -1;
        }
        for (int i = target + 1; i < end; i++) {
            byte b = at(data, start, i);
            if (b == ':') {
                return i;
            }
            if (!HttpChars.isAlpha(b) && !HttpChars.isDigit(b) && b != '+' && b != '-' && b != '.') {
                return -1;
            }
        }
        return -1;
    }

    /** Path and query bytes: RFC 3986 characters, {@code %} plus two hex digits; records the query. */
    private static boolean checkTargetBytes(MemorySegment data, long start, RequestHead head, int from, int end,
                                            boolean allowUnsafe) {
        for (int i = from; i < end; i++) {
            byte b = at(data, start, i);
            if (b == '?' && head.queryStart < 0) {
                head.queryStart = i + 1;
            } else if (b == '%') {
                if (i + 2 >= end || !HttpChars.isHex(at(data, start, i + 1)) || !HttpChars.isHex(at(data, start, i + 2))) {
                    return false;
                }
            } else if (!HttpChars.isTargetByte(b) && !(allowUnsafe && (b & 0xFF) > 0x20 && b != 0x7F && b != '#')) {
                return false;
            }
        }
        return true;
    }

    private static byte at(MemorySegment data, long start, int offset) {
        return data.get(ValueLayout.JAVA_BYTE, start + offset);
    }
}

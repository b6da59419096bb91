package dev.ringserver.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Maps the path of a request target to a path relative to the served root, refusing everything that
 * could name a file outside it or be read differently by another component. Pure string work: it
 * touches no file system (symbolic links are checked where files are opened). Thread-safe.
 *
 * <p>The rules, segment by segment (a segment is what lies between two raw {@code /}):
 * <ul>
 *   <li>percent-escapes are decoded once (so {@code %252e} stays the literal name {@code %2e}); a
 *       malformed escape or bytes that are not UTF-8 are 400;</li>
 *   <li>a segment that decodes to {@code /}, {@code \}, NUL or another control character is 400: it
 *       would mean one thing here and another to a proxy or the file system;</li>
 *   <li>{@code ..} (raw or encoded) is 400, never resolved: clients normalise dot segments before
 *       sending (RFC 3986 §5.2.4), so one that arrives is an attempt to leave the root;</li>
 *   <li>empty segments and {@code .} are skipped;</li>
 *   <li>a segment starting with {@code .} is a hidden file: 404 unless hidden files are served.</li>
 * </ul>
 * The result is joined with {@code /} and never starts with one, so resolving it against the root
 * cannot yield an absolute path.
 */
final class RequestPaths {

    /** The outcome of {@link #resolve}: a status to answer with, or the relative path. */
    record Resolved(int status, String relative, boolean trailingSlash) {

        boolean ok() {
            return status == 0;
        }
    }

    private static final Resolved BAD_REQUEST = new Resolved(400, null, false);
    private static final Resolved NOT_FOUND = new Resolved(404, null, false);

    private RequestPaths() {
    }

    /**
     * Resolves {@code rawPath} (as received, without the query), which starts with {@code prefix} or
     * equals it without its final slash.
     *
     * @param prefix      the URL prefix, starting and ending with {@code /}
     * @param serveHidden whether dot segments other than {@code .} and {@code ..} are allowed
     */
    static Resolved resolve(String rawPath, String prefix, boolean serveHidden) {
        if (rawPath.length() < prefix.length()) {
            return new Resolved(0, "", false); // the prefix without its slash: the root, as a directory
        }
        StringBuilder relative = new StringBuilder(rawPath.length() - prefix.length());
        int start = prefix.length();
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = rawPath.length();
            }
            String segment = decode(rawPath, start, end);
            if (segment == null) {
                return BAD_REQUEST;
            }
            if (segment.equals("..")) {
                return BAD_REQUEST;
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                if (segment.charAt(0) == '.' && !serveHidden) {
                    return NOT_FOUND;
                }
                if (!relative.isEmpty()) {
                    relative.append('/');
                }
                relative.append(segment);
            }
            start = end + 1;
        }
        boolean trailingSlash = rawPath.endsWith("/");
        return new Resolved(0, relative.toString(), trailingSlash);
    }

    /** The segment {@code raw[start, end)} decoded, or null when it is malformed or not allowed. */
    private static String decode(String raw, int start, int end) {
        boolean plain = true;
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%' || c > 0x7F) {
                plain = false;
            } else if (c < 0x20 || c == 0x7F || c == '\\') {
                return null;
            }
        }
        if (plain) {
            return raw.substring(start, end);
        }
        byte[] bytes = new byte[(end - start) * 3];
        int length = 0;
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            int b;
            if (c == '%') {
                if (i + 2 >= end) {
                    return null;
                }
                int high = hex(raw.charAt(i + 1));
                int low = hex(raw.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return null;
                }
                b = high << 4 | low;
                i += 2;
                if (b < 0x20 || b == 0x7F || b == '/' || b == '\\') {
                    return null;
                }
                bytes[length++] = (byte) b;
            } else if (c > 0x7F) {
                // the engine lets raw non-ASCII through only when configured to; it arrives as Latin-1
                if (c > 0xFF) {
                    return null;
                }
                bytes[length++] = (byte) c;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** An ASCII hex digit's value, or -1 (Character.digit would also accept non-ASCII digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}

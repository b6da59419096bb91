package dev.ringserver.files;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The framing of a {@code multipart/byteranges} body (RFC 9110 §14.6): a head before each part (its
 * delimiter, {@code Content-Type} and {@code Content-Range}) and the closing delimiter, with the exact
 * total length, so the response carries a {@code Content-Length}. The boundary is random per response,
 * 24 hex digits, which no file content can be expected to contain. Immutable.
 */
final class Multipart {

    private final String boundary;
    private final byte[][] heads;
    private final byte[] closing;
    private final long contentLength;

    private Multipart(String boundary, byte[][] heads, byte[] closing, long contentLength) {
        this.boundary = boundary;
        this.heads = heads;
        this.closing = closing;
        this.contentLength = contentLength;
    }

    /** The framing of {@code ranges} of a representation of {@code size} bytes of {@code contentType}. */
    static Multipart of(ByteRanges ranges, String contentType, long size) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String boundary = String.format("%016x%08x", random.nextLong(), random.nextInt());
        byte[][] heads = new byte[ranges.count()][];
        long total = 0;
        for (int i = 0; i < heads.length; i++) {
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Range: bytes " + ranges.first(i) + "-" + ranges.last(i) + "/" + size + "\r\n\r\n";
            heads[i] = head.getBytes(StandardCharsets.ISO_8859_1);
            total += heads[i].length + ranges.length(i);
        }
        byte[] closing = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return new Multipart(boundary, heads, closing, total + closing.length);
    }

    /** The response's {@code Content-Type}. */
    String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    long contentLength() {
        return contentLength;
    }

    byte[] head(int part) {
        return heads[part];
    }

    byte[] closing() {
        return closing;
    }

    /** The whole body, with the parts copied from {@code file} (in memory; the total fits an array). */
    byte[] assemble(MemorySegment file, ByteRanges ranges) {
        byte[] body = new byte[Math.toIntExact(contentLength)];
        int at = 0;
        for (int i = 0; i < heads.length; i++) {
            System.arraycopy(heads[i], 0, body, at, heads[i].length);
            at += heads[i].length;
            int length = (int) ranges.length(i);
            MemorySegment.copy(file, ValueLayout.JAVA_BYTE, ranges.first(i), body, at, length);
            at += length;
        }
        System.arraycopy(closing, 0, body, at, closing.length);
        return body;
    }
}

package dev.ringserver.http;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * Chunked bodies (RFC 9112 §7.1) followed by the next request's bytes, each decoded whole, one byte at
 * a time, and in two pieces split at every position; the three must agree.
 */
class ChunkedDecoderTest {

    private static final HttpConfig STRICT = HttpConfig.DEFAULT;
    private static final HttpConfig BARE_LF = HttpConfig.builder().allowBareLf(true).build();
    private static final HttpConfig SMALL = HttpConfig.builder()
            .maxChunkLineBytes(16).maxTrailerBytes(32).maxBodyBytes(64).build();

    /** The next request on the connection: never part of the body. */
    private static final String NEXT = "GET /next HTTP/1.1\r\n";

    /** Bytes before each piece's first byte, so that ranges must be absolute offsets. */
    private static final int PAD = 3;

    /** A partial body fed to the reused decoder (then reset) before every run. */
    private static final String DIRTY = "5;a=\"x";

    // ---------------------------------------------------------------------------------------------
    // The helper
    // ---------------------------------------------------------------------------------------------

    /** Body data collected from the ranges, bytes consumed, and how decoding stopped. */
    record Decoded(String data, int consumed, boolean done, int error) {
    }

    static Decoded decodeEveryWay(HttpConfig config, String input) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        int n = bytes.length;
        ChunkedDecoder decoder = new ChunkedDecoder(config);

        Decoded whole = feed(decoder, bytes, new int[] {n});
        Decoded byteByByte = feed(decoder, bytes, IntStream.rangeClosed(1, n).toArray());
        assertThat(byteByByte).as("one byte at a time vs whole").isEqualTo(whole);
        for (int split = 1; split < n; split++) {
            assertThat(feed(decoder, bytes, new int[] {split, n})).as("split after byte %d vs whole", split)
                    .isEqualTo(whole);
        }
        return whole;
    }

    /** Feeds {@code bytes} in pieces ending at each cut, each piece in its own native segment. */
    private static Decoded feed(ChunkedDecoder decoder, byte[] bytes, int[] cuts) {
        dirty(decoder);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int consumed = 0;
        int from = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int cut : cuts) {
                int length = cut - from;
                MemorySegment piece = arena.allocate(PAD + length);
                piece.asSlice(0, PAD).fill((byte) '7');
                MemorySegment.copy(bytes, from, piece, ValueLayout.JAVA_BYTE, PAD, length);
                int offset = 0;
                while (offset < length && !decoder.isDone() && decoder.error() == 0) {
                    int n = decoder.decode(piece, PAD + offset, length - offset);
                    assertThat(n).as("bytes consumed by one decode").isPositive().isLessThanOrEqualTo(length - offset);
                    if (decoder.dataLength() > 0) {
                        assertThat(decoder.dataOffset()).as("data offset").isBetween(PAD + (long) offset,
                                PAD + (long) offset + n - decoder.dataLength());
                        data.writeBytes(piece.asSlice(decoder.dataOffset(), decoder.dataLength())
                                .toArray(ValueLayout.JAVA_BYTE));
                    }
                    offset += n;
                    consumed += n;
                }
                from = cut;
                if (decoder.isDone() || decoder.error() != 0) {
                    break;
                }
            }
        }
        return new Decoded(data.toString(StandardCharsets.ISO_8859_1), consumed, decoder.isDone(), decoder.error());
    }

    private static void dirty(ChunkedDecoder decoder) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dirty = HeadDecoderConformanceTest.nativeBytes(arena, DIRTY);
            decoder.reset();
            decoder.decode(dirty, 0, DIRTY.length());
        }
        decoder.reset();
    }

    private static Arguments ok(String name, HttpConfig config, String body, String data) {
        return argumentSet(name, config, body, new Decoded(data, body.length(), true, 0));
    }

    private static Arguments ok(String name, String body, String data) {
        return ok(name, STRICT, body, data);
    }

    /** A malformed body: decoding stops at the byte where it becomes invalid, {@code at} bytes in. */
    private static Arguments bad(String name, HttpConfig config, String body, int status, String data, int at) {
        return argumentSet(name, config, body, new Decoded(data, at, false, status));
    }

    private static Arguments bad(String name, String body, int status, int at) {
        return bad(name, STRICT, body, status, "", at);
    }

    // ---------------------------------------------------------------------------------------------
    // Table
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource({"valid", "sizes", "extensions", "lineEnds", "trailers", "limits"})
    void decodesTheSameHoweverSplit(HttpConfig config, String body, Decoded expected) {
        assertThat(decodeEveryWay(config, body + NEXT)).isEqualTo(expected);
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                ok("RFC 9112 §7.1 one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1 no chunk at all", "0\r\n\r\n", ""),
                ok("RFC 9112 §7.1 several chunks", "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n", "hello world"),
                ok("RFC 9112 §7.1 chunk data is any octets, CR LF included", "6\r\n\r\n0\r\n\0\r\n0\r\n\r\n",
                        "\r\n0\r\n\0"),
                ok("RFC 9112 §7.1 chunk data with obs bytes", "3\r\n\u00ff\u0080\u00e9\r\n0\r\n\r\n", "\u00ff\u0080\u00e9"),
                ok("RFC 9112 §7.1 the last chunk is 1*(\"0\")", "1\r\nx\r\n000\r\n\r\n", "x"));
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                ok("RFC 9112 §7.1 upper-case hex", "A\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
                ok("RFC 9112 §7.1 lower-case hex", "a\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
                ok("RFC 9112 §7.1 mixed-case hex", "1f\r\n" + "x".repeat(31) + "\r\n1F\r\n" + "y".repeat(31)
                        + "\r\n0\r\n\r\n", "x".repeat(31) + "y".repeat(31)),
                ok("RFC 9112 §7.1 leading zeros", "0005\r\nhello\r\n00\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1 many leading zeros do not overflow", "0".repeat(40) + "3\r\nabc\r\n0\r\n\r\n", "abc"),
                bad("RFC 9112 §7.1 missing size", "\r\nhello\r\n0\r\n\r\n", 400, 1),
                bad("RFC 9112 §7.1 missing size before an extension", ";a\r\nhello\r\n0\r\n\r\n", 400, 1),
                bad("RFC 9112 §7.1 non-hex size", "g\r\nhello\r\n0\r\n\r\n", 400, 1),
                bad("RFC 9112 §7.1 a size with a non-hex digit after it", "5g\r\nhello\r\n0\r\n\r\n", 400, 2),
                bad("RFC 9112 §7.1 a 0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", 400, 2),
                bad("RFC 9112 §7.1 a sign", "+5\r\nhello\r\n0\r\n\r\n", 400, 1),
                bad("RFC 9112 §7.1 whitespace before the size", " 5\r\nhello\r\n0\r\n\r\n", 400, 1),
                bad("RFC 9112 §7.1 a missing last chunk (a size line with no size)", STRICT, "5\r\nhello\r\n\r\n", 400,
                        "hello", 11),
                argumentSet("RFC 9112 §7.1 2^63-1 does not overflow; above the body limit it gets 413", STRICT,
                        "7fffffffffffffff\r\n", new Decoded("", 18, false, 413)),
                bad("RFC 9112 §7.1 16 hex digits above 2^63-1 overflow", "8000000000000000\r\n", 400, 16),
                bad("RFC 9112 §7.1 17 significant hex digits overflow", "10000000000000000\r\n", 400, 17),
                bad("RFC 9112 §7.1 32 hex digits overflow", "f".repeat(32) + "\r\n", 400, 16),
                bad("RFC 9112 §7.1 overflow after leading zeros", "000" + "1" + "0".repeat(16) + "\r\n", 400, 20));
    }

    static Stream<Arguments> extensions() {
        return Stream.of(
                ok("RFC 9112 §7.1.1 a name", "5;a\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 a name and a token value", "5;a=b\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 a quoted value with a quoted-pair", "5;a=\"q\\\"x\"\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 a quoted value with SP, HTAB, ';' and obs-text",
                        "5;a=\"x ;\t=\u00e9\"\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 an empty quoted value", "5;a=\"\"\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 several extensions", "5;a;b=c;d=\"e\"\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 BWS around ';' and '='", "5 ; a = b\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 BWS of HTAB around ';' and '='", "5\t;\ta\t=\t\"b\"\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.1 BWS before a second extension", "5;a=b ;c\r\nhello\r\n0\r\n\r\n", "hello"),
                ok("RFC 9112 §7.1 an extension on the last chunk", "5\r\nhello\r\n0;end=1\r\n\r\n", "hello"),
                bad("RFC 9112 §7.1.1 ';' without a name", "5;\r\nhello\r\n0\r\n\r\n", 400, 3),
                bad("RFC 9112 §7.1.1 ';' then BWS and no name", "5; \r\nhello\r\n0\r\n\r\n", 400, 4),
                bad("RFC 9112 §7.1.1 BWS after the size without an extension", "5 \r\nhello\r\n0\r\n\r\n", 400, 3),
                bad("RFC 9112 §7.1.1 BWS after an extension value", "5;a=b \r\nhello\r\n0\r\n\r\n", 400, 7),
                bad("RFC 9112 §7.1.1 BWS after an extension name", "5;a \r\nhello\r\n0\r\n\r\n", 400, 5),
                bad("RFC 9112 §7.1.1 a value without a name", "5;=b\r\nhello\r\n0\r\n\r\n", 400, 3),
                bad("RFC 9112 §7.1.1 '=' without a value", "5;a=\r\nhello\r\n0\r\n\r\n", 400, 5),
                bad("RFC 9112 §7.1.1 an unterminated quoted value", "5;a=\"x\r\nhello\r\n0\r\n\r\n", 400, 7),
                bad("RFC 9112 §7.1.1 an escape at the line end", "5;a=\"x\\\r\nhello\r\n0\r\n\r\n", 400, 8),
                bad("RFC 9112 §7.1.1 a control in a quoted value", "5;a=\"x\u0001\"\r\nhello\r\n0\r\n\r\n", 400, 7),
                bad("RFC 9112 §7.1.1 a non-token name", "5;a@b\r\nhello\r\n0\r\n\r\n", 400, 4),
                bad("RFC 9112 §7.1.1 a non-token value", "5;a=b@\r\nhello\r\n0\r\n\r\n", 400, 6),
                bad("RFC 9112 §7.1.1 text after the size without ';'", "5 x\r\nhello\r\n0\r\n\r\n", 400, 3),
                bad("RFC 9112 §7.1.1 text after a quoted value", "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", 400, 8),
                bad("RFC 9112 §7.1.1 two values", "5;a=b c\r\nhello\r\n0\r\n\r\n", 400, 7),
                bad("RFC 9112 §7.1.1 '=' after the size", "5=b\r\nhello\r\n0\r\n\r\n", 400, 2));
    }

    static Stream<Arguments> lineEnds() {
        return Stream.of(
                bad("RFC 9112 §7.1 data longer than its size", STRICT, "5\r\nhello!\r\n0\r\n\r\n", 400, "hello", 9),
                bad("RFC 9112 §7.1 data shorter than its size", STRICT, "6\r\nhello\r\n0\r\n\r\n", 400, "hello\r", 10),
                bad("RFC 9112 §7.1 CR after data not followed by LF", STRICT, "5\r\nhello\rX0\r\n\r\n", 400, "hello", 10),
                bad("RFC 9112 §2.2 bare CR ending a size line", "5\rhello\r\n0\r\n\r\n", 400, 3),
                bad("RFC 9112 §2.2 bare CR ending the last chunk", STRICT, "5\r\nhello\r\n0\r\r\n", 400, "hello", 13),
                bad("RFC 9112 §2.2 bare CR as the final line", STRICT, "5\r\nhello\r\n0\r\n\rX", 400, "hello", 15),
                bad("RFC 9112 §2.2 bare LF after a size", "5\nhello\r\n0\r\n\r\n", 400, 2),
                bad("RFC 9112 §2.2 bare LF after an extension", "5;a\nhello\r\n0\r\n\r\n", 400, 4),
                bad("RFC 9112 §2.2 bare LF after data", STRICT, "5\r\nhello\n0\r\n\r\n", 400, "hello", 9),
                bad("RFC 9112 §2.2 bare LF as the final line", STRICT, "5\r\nhello\r\n0\r\n\n", 400, "hello", 14),
                ok("RFC 9112 §2.2 bare LF everywhere with allowBareLf", BARE_LF,
                        "5\nhello\n5;a=b\nworld\n0\nX: y\n\n", "helloworld"),
                ok("RFC 9112 §2.2 CRLF and LF mixed with allowBareLf", BARE_LF,
                        "5\r\nhello\n0\r\nX: y\n\r\n", "hello"),
                bad("RFC 9112 §2.2 bare CR stays rejected with allowBareLf", BARE_LF, "5\rhello\n0\n\n", 400, "", 3),
                bad("RFC 9112 §2.2 bare CR after data stays rejected with allowBareLf", BARE_LF,
                        "5\nhello\rX", 400, "hello", 9));
    }

    static Stream<Arguments> trailers() {
        return Stream.of(
                ok("RFC 9112 §7.1.2 trailer fields", "5\r\nhello\r\n0\r\nX-Sum: abc\r\nY:\r\nZ:\tq r \r\n\r\n", "hello"),
                ok("RFC 9112 §7.1.2 a trailer value with obs-text", "0\r\nX: caf\u00e9\r\n\r\n", ""),
                bad("RFC 9112 §5.2 obs-fold in a trailer", "0\r\nX: a\r\n b\r\n\r\n", 400, 10),
                bad("RFC 9112 §5.2 obs-fold with HTAB in a trailer", "0\r\nX: a\r\n\tb\r\n\r\n", 400, 10),
                bad("RFC 9112 §5.1 whitespace before the colon in a trailer", "0\r\nX : a\r\n\r\n", 400, 5),
                bad("RFC 9110 §5.1 a non-token trailer name", "0\r\nX@: a\r\n\r\n", 400, 5),
                bad("RFC 9110 §5.1 an empty trailer name", "0\r\n: a\r\n\r\n", 400, 4),
                bad("RFC 9112 §5 a trailer line without a colon", "0\r\nXa\r\n\r\n", 400, 6),
                bad("RFC 9110 §5.5 NUL in a trailer value", "0\r\nX: a\0b\r\n\r\n", 400, 8),
                bad("RFC 9110 §5.5 DEL in a trailer value", "0\r\nX: a\u007fb\r\n\r\n", 400, 8),
                bad("RFC 9112 §2.2 bare CR in a trailer value", "0\r\nX: a\rb\r\n\r\n", 400, 9),
                bad("RFC 9112 §2.2 bare LF after a trailer", "0\r\nX: a\n\r\n", 400, 8));
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                ok("RFC 9112 §7.1.1 a size line below maxChunkLineBytes", SMALL, "5;aaaaaaaaaaaaa\r\nhello\r\n0\r\n\r\n",
                        "hello"),
                bad("RFC 9112 §7.1.1 a size line over maxChunkLineBytes gets 400", SMALL,
                        "5;aaaaaaaaaaaaaaa\r\nhello\r\n0\r\n\r\n", 400, "", 17),
                bad("RFC 9112 §7.1.1 a size line of leading zeros over maxChunkLineBytes gets 400", SMALL,
                        "0".repeat(20) + "5\r\nhello\r\n0\r\n\r\n", 400, "", 17),
                bad("RFC 9112 §7.1.1 the limit applies to each size line", SMALL,
                        "5\r\nhello\r\n0;aaaaaaaaaaaaaaaaaaaa\r\n\r\n", 400, "hello", 10 + 17),
                ok("RFC 9112 §7.1.2 trailers at maxTrailerBytes (final CRLF included)", SMALL,
                        "0\r\nX: " + "v".repeat(25) + "\r\n\r\n", ""),
                bad("RFC 6585 §5 trailers over maxTrailerBytes get 431", SMALL,
                        "0\r\nX: " + "v".repeat(26) + "\r\n\r\n", 431, "", 3 + 33),
                bad("RFC 6585 §5 endless trailers get 431 early", SMALL,
                        "0\r\n" + "X: y\r\n".repeat(10), 431, "", 3 + 33),
                ok("RFC 9110 §15.5.14 a body exactly at maxBodyBytes", SMALL,
                        "20\r\n" + "a".repeat(32) + "\r\n20\r\n" + "b".repeat(32) + "\r\n0\r\n\r\n",
                        "a".repeat(32) + "b".repeat(32)),
                bad("RFC 9110 §15.5.14 one chunk over maxBodyBytes gets 413 before its data", SMALL,
                        "41\r\n" + "a".repeat(65) + "\r\n0\r\n\r\n", 413, "", 4),
                bad("RFC 9110 §15.5.14 a body growing over maxBodyBytes gets 413 at the size line", SMALL,
                        "20\r\n" + "a".repeat(32) + "\r\n21;x\r\n" + "b".repeat(33) + "\r\n0\r\n\r\n", 413,
                        "a".repeat(32), 4 + 32 + 2 + 6));
    }

    // ---------------------------------------------------------------------------------------------
    // Single cases
    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("HttpConfig.maxChunkLineBytes: a size line exactly at the limit is accepted")
    void sizeLineAtTheLimit() {
        String body = "5;aaaaaaaaaaaaaa\r\nhello\r\n0\r\n\r\n";

        assertThat(decodeEveryWay(SMALL, body + NEXT)).isEqualTo(new Decoded("hello", body.length(), true, 0));
    }

    @Test
    @DisplayName("RFC 9112 §7.1: an unfinished body consumes everything and waits")
    void unfinishedBodyWaits() {
        String body = "5\r\nhello\r\n3;a=\"b\"\r\nab";

        assertThat(decodeEveryWay(STRICT, body)).isEqualTo(new Decoded("helloab", body.length(), false, 0));
    }

    @Test
    @DisplayName("RFC 9112 §7.1: a large chunk arriving in pieces is handed out as it arrives")
    void largeChunkInPieces() {
        String body = "400\r\n" + "z".repeat(1024) + "\r\n0\r\n\r\n";
        ChunkedDecoder decoder = new ChunkedDecoder(STRICT);
        decoder.reset();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = HeadDecoderConformanceTest.nativeBytes(arena, body + NEXT);

            assertThat(decoder.decode(bytes, 0, 105)).isEqualTo(105);
            assertThat(decoder.dataOffset()).isEqualTo(5);
            assertThat(decoder.dataLength()).isEqualTo(100);
            assertThat(decoder.total()).isEqualTo(100);
            assertThat(decoder.decode(bytes, 105, body.length() + NEXT.length() - 105)).isEqualTo(1024 - 100);
            assertThat(decoder.dataOffset()).isEqualTo(105);
            assertThat(decoder.total()).isEqualTo(1024);
            assertThat(decoder.isDone()).isFalse();
            assertThat(decoder.decode(bytes, 5 + 1024, body.length() + NEXT.length() - 5 - 1024))
                    .isEqualTo(body.length() - 5 - 1024);
            assertThat(decoder.dataLength()).isZero();
            assertThat(decoder.isDone()).isTrue();
            assertThat(decoder.error()).isZero();
        }
    }

    @Test
    @DisplayName("a decoder reset after an error decodes the next body")
    void resetAfterAnError() {
        ChunkedDecoder decoder = new ChunkedDecoder(STRICT);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bad = HeadDecoderConformanceTest.nativeBytes(arena, "5;\r\n");
            MemorySegment good = HeadDecoderConformanceTest.nativeBytes(arena, "2\r\nok\r\n0\r\n\r\n");
            decoder.reset();
            assertThat(decoder.decode(bad, 0, 4)).isEqualTo(3);
            assertThat(decoder.error()).isEqualTo(400);

            decoder.reset();

            assertThat(decoder.error()).isZero();
            assertThat(decoder.decode(good, 0, 12)).isEqualTo(5);
            assertThat(decoder.dataLength()).isEqualTo(2);
            assertThat(decoder.decode(good, 5, 7)).isEqualTo(7);
            assertThat(decoder.isDone()).isTrue();
            assertThat(decoder.total()).isEqualTo(2);
        }
    }
}

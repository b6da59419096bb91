package dev.ringserver.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random and mutated input for the head and chunked decoders: whatever arrives, decoding ends in a
 * valid head, "need more", or a status the engine can answer with; never an exception; and the
 * outcome does not depend on how the bytes were split (checked at every split, by the conformance
 * tests' helpers). Seeds are fixed so that a failure reproduces; the failing input is in the message.
 */
class ParserFuzzTest {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Set<Integer> HEAD_STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);
    private static final Set<Integer> CHUNK_STATUSES = Set.of(400, 413, 431);

    private static final HttpConfig STRICT = HttpConfig.DEFAULT;
    private static final HttpConfig SMALL = HttpConfig.builder().maxRequestLineBytes(40).maxHeaderBytes(96)
            .maxHeaderCount(4).maxBodyBytes(1000).maxChunkLineBytes(12).maxTrailerBytes(24).build();
    private static final HttpConfig LENIENT = HttpConfig.builder().allowBareLf(true).allowDuplicateContentLength(true)
            .allowUnsafeTargetBytes(true).build();

    private static final List<String> HEADS = List.of(
            "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "POST /upload?x=1&y=%20 HTTP/1.1\r\nHost: a.b:8080\r\nContent-Length: 12\r\nExpect: 100-continue\r\n\r\n",
            "PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\nConnection: keep-alive, Upgrade\r\n\r\n",
            "GET http://example.com/a/b?c HTTP/1.0\r\nConnection: keep-alive\r\nX-Quoted: \"a, b\"\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\nAccept: */*\r\nUser-Agent: fuzz/1.0\r\n\r\n",
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
            "\r\nDELETE /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n");

    private static final List<String> BODIES = List.of(
            "5\r\nhello\r\n0\r\n\r\n",
            "3;name=value\r\nabc\r\n10;q=\"x y\"\r\n0123456789abcdef\r\n0\r\nTrailer: t\r\n\r\n",
            "A \t; ext\r\n0123456789\r\n0\r\n\r\n",
            "1\r\nx\r\n1\r\ny\r\n0\r\nA: 1\r\nB: 2\r\n\r\n");

    /** Bytes that matter to the grammar, so that mutations hit the interesting places often. */
    private static final byte[] SPECIAL = " \t\r\n:;,=\"\\/?#%@[]\0\u007f\u00ff0123456789aAfFxX-".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void mutatedHeadsDecodeToAValidHeadOrAnAnswerableStatus() {
        Random random = new Random(20261121);
        for (int round = 0; round < 6_000; round++) {
            String input = mutate(random, HEADS.get(random.nextInt(HEADS.size())), 1 + random.nextInt(4));
            HttpConfig config = switch (round % 3) {
                case 0 -> STRICT;
                case 1 -> SMALL;
                default -> LENIENT;
            };
            checkHead(config, input);
        }
    }

    @Test
    void randomBytesDecodeToAnAnswerableStatusOrNeedMore() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(120)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextBoolean() ? (byte) random.nextInt(256) : SPECIAL[random.nextInt(SPECIAL.length)];
            }
            checkHead(round % 2 == 0 ? STRICT : SMALL, new String(bytes, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void mutatedChunkedBodiesDecodeToDataOrAnAnswerableStatus() {
        Random random = new Random(1121);
        for (int round = 0; round < 4_000; round++) {
            String input = mutate(random, BODIES.get(random.nextInt(BODIES.size())), 1 + random.nextInt(3));
            HttpConfig config = round % 2 == 0 ? STRICT : SMALL;
            ChunkedDecoderTest.Decoded decoded;
            try {
                decoded = ChunkedDecoderTest.decodeEveryWay(config, input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("chunked body " + quote(input) + ": " + e.getMessage(), e);
            }
            if (decoded.error() != 0) {
                assertThat(CHUNK_STATUSES).as("status for %s", quote(input)).contains(decoded.error());
                assertThat(decoded.done()).isFalse();
            }
            assertThat(decoded.consumed()).as("consumed of %s", quote(input)).isBetween(0, input.length());
            assertThat((long) decoded.data().length()).as("data of %s", quote(input))
                    .isLessThanOrEqualTo(config.maxBodyBytes());
        }
    }

    private static void checkHead(HttpConfig config, String input) {
        HeadDecoderConformanceTest.Outcome outcome;
        try {
            outcome = HeadDecoderConformanceTest.decodeEveryWay(config, input).outcome();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("head " + quote(input) + ": " + e.getMessage(), e);
        }
        int result = outcome.result();
        if (result < 0) {
            assertThat(HEAD_STATUSES).as("status for %s", quote(input)).contains(-result);
        } else if (result > 0) {
            checkValidHead(config, input, result, outcome.head());
        }
    }

    /** What the engine relies on when a head was accepted. */
    private static void checkValidHead(HttpConfig config, String input, int length, HeadDecoderConformanceTest.Head head) {
        String why = "accepted head " + quote(input);
        assertThat(length).as(why).isLessThanOrEqualTo(input.length());
        assertThat(input.charAt(length - 1)).as(why).isEqualTo('\n');
        assertThat(head.methodName()).as(why).matches(TOKEN);
        assertThat(head.target()).as(why).isNotEmpty().doesNotContainPattern("[\\x00-\\x20\\x7f]");
        assertThat(head.minorVersion()).as(why).isIn(0, 1);
        if (head.minorVersion() == 1) {
            assertThat(head.host()).as(why).isNotNull();
        }
        if (head.chunked()) {
            assertThat(head.contentLength()).as(why).isEqualTo(-1);
        }
        assertThat(head.contentLength()).as(why).isBetween(-1L, config.maxBodyBytes());
        assertThat(head.fields()).as(why).hasSizeLessThanOrEqualTo(config.maxHeaderCount());
        for (HeadDecoderConformanceTest.Field field : head.fields()) {
            assertThat(field.name()).as(why).matches(TOKEN);
            assertThat(field.value()).as(why).doesNotContainPattern("[\\r\\n\\x00]")
                    .doesNotStartWith(" ").doesNotEndWith(" ");
        }
    }

    /** Applies {@code count} random edits: replace, insert, delete, duplicate or swap a piece. */
    private static String mutate(Random random, String seed, int count) {
        StringBuilder text = new StringBuilder(seed);
        for (int i = 0; i < count; i++) {
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, (char) (SPECIAL[random.nextInt(SPECIAL.length)] & 0xFF));
                    }
                }
                case 1 -> text.insert(at, (char) (SPECIAL[random.nextInt(SPECIAL.length)] & 0xFF));
                case 2 -> {
                    if (at < text.length()) {
                        text.deleteCharAt(at);
                    }
                }
                case 3 -> {
                    int end = Math.min(text.length(), at + 1 + random.nextInt(12));
                    text.insert(at, text.substring(at, end));
                }
                case 4 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, (char) random.nextInt(256));
                    }
                }
                default -> {
                    int end = Math.min(text.length(), at + 1 + random.nextInt(6));
                    text.delete(at, end);
                }
            }
        }
        return text.toString();
    }

    private static String quote(String input) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : input.toCharArray()) {
            switch (c) {
                case '\r' -> quoted.append("\\r");
                case '\n' -> quoted.append("\\n");
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    @Test
    void mutationsReachEveryOutcome() {
        // The fuzzer is only useful if it explores: each kind of outcome must occur.
        Random random = new Random(20261121);
        boolean accepted = false;
        boolean rejected = false;
        boolean incomplete = false;
        for (int round = 0; round < 300; round++) {
            String input = mutate(random, HEADS.get(random.nextInt(HEADS.size())), 1 + random.nextInt(4));
            int result = HeadDecoderConformanceTest.decodeEveryWay(STRICT, input).outcome().result();
            accepted |= result > 0;
            rejected |= result < 0;
            incomplete |= result == 0;
        }
        if (!(accepted && rejected && incomplete)) {
            fail("mutations explored too little: accepted=" + accepted + " rejected=" + rejected
                    + " incomplete=" + incomplete);
        }
    }
}

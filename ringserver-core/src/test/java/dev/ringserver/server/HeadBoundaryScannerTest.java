package dev.ringserver.server;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeadBoundaryScannerTest {

    private static final String HEAD = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private static final List<String> INPUTS = List.of(
            HEAD,
            HEAD + HEAD + HEAD,
            HEAD + HEAD + "GET /partial HTTP/1.1\r\nHo",
            HEAD + "GET /x HTTP/1.1\r\n\r",
            "A\r\n\r\r\n\r\nB\r\r\n\r\n\n\n\r\n\r\n\r\n\r\n",
            "GET / HTTP/1.1\n\nHost: x\n\r\n\n",
            "\r\n\r\n\r\n");

    @Test
    void countsOneHead() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();

        assertThat(scan(scanner, HEAD)).isEqualTo(1);
        assertThat(scanner.unfinishedBytes()).isZero();
    }

    @Test
    void countsPipelinedHeadsInOnePiece() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();

        assertThat(scan(scanner, HEAD + HEAD + HEAD)).isEqualTo(3);
        assertThat(scanner.unfinishedBytes()).isZero();
    }

    @Test
    void countsBytesAfterLastHead() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();

        assertThat(scan(scanner, HEAD + "GET /next")).isEqualTo(1);
        assertThat(scanner.unfinishedBytes()).isEqualTo("GET /next".length());
    }

    @Test
    void bareLineFeedsDoNotEndAHead() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();

        assertThat(scan(scanner, "GET / HTTP/1.1\n\n")).isZero();
        assertThat(scan(scanner, "Host: x\r\n\n")).isZero();
        assertThat(scan(scanner, "\n\r\n")).isZero();
        assertThat(scanner.unfinishedBytes()).isEqualTo(16 + 10 + 3);
    }

    @Test
    void extraCarriageReturnRestartsTheMatch() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();

        assertThat(scan(scanner, "x\r\n\r\r\n\r\n")).isEqualTo(1);
        assertThat(scanner.unfinishedBytes()).isZero();
    }

    @Test
    void accumulatesUnfinishedBytesAcrossPieces() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();

        assertThat(scan(scanner, "GET / HT")).isZero();
        assertThat(scanner.unfinishedBytes()).isEqualTo(8);
        assertThat(scan(scanner, "TP/1.1\r\n")).isZero();
        assertThat(scanner.unfinishedBytes()).isEqualTo(16);
        assertThat(scan(scanner, "\r\nGET")).isEqualTo(1);
        assertThat(scanner.unfinishedBytes()).isEqualTo(3);
        assertThat(scan(scanner, " /")).isZero();
        assertThat(scanner.unfinishedBytes()).isEqualTo(5);
    }

    @Test
    void findsBoundarySplitAcrossPieces() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();

        assertThat(scan(scanner, "GET / HTTP/1.1\r")).isZero();
        assertThat(scan(scanner, "\n\r")).isZero();
        assertThat(scan(scanner, "\n")).isEqualTo(1);
        assertThat(scanner.unfinishedBytes()).isZero();
    }

    @Test
    void scansOnlyTheGivenLength() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();
        byte[] bytes = "ab\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(scanner.scan(MemorySegment.ofArray(bytes), 4)).isZero();
        assertThat(scanner.unfinishedBytes()).isEqualTo(4);
    }

    @Test
    void emptyPieceChangesNothing() {
        HeadBoundaryScanner scanner = new HeadBoundaryScanner();
        scan(scanner, "GET /\r\n\r");

        assertThat(scanner.scan(MemorySegment.ofArray(new byte[0]), 0)).isZero();
        assertThat(scanner.unfinishedBytes()).isEqualTo(8);
        assertThat(scan(scanner, "\n")).isEqualTo(1);
    }

    @Test
    void referenceCountsMatchWholeInputs() {
        for (String input : INPUTS) {
            HeadBoundaryScanner scanner = new HeadBoundaryScanner();

            assertThat(scan(scanner, input)).as("heads in %s", escape(input)).isEqualTo(expectedHeads(input));
            assertThat(scanner.unfinishedBytes()).as("unfinished in %s", escape(input))
                    .isEqualTo(expectedUnfinished(input));
        }
    }

    @Test
    void givesSameResultForEverySplitIntoTwoPieces() {
        for (String input : INPUTS) {
            byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
            for (int split = 0; split <= bytes.length; split++) {
                HeadBoundaryScanner scanner = new HeadBoundaryScanner();

                int heads = scanner.scan(MemorySegment.ofArray(Arrays.copyOfRange(bytes, 0, split)), split)
                        + scanner.scan(MemorySegment.ofArray(Arrays.copyOfRange(bytes, split, bytes.length)),
                        bytes.length - split);

                assertThat(heads).as("heads in %s split at %d", escape(input), split)
                        .isEqualTo(expectedHeads(input));
                assertThat(scanner.unfinishedBytes()).as("unfinished in %s split at %d", escape(input), split)
                        .isEqualTo(expectedUnfinished(input));
            }
        }
    }

    @Test
    void givesSameResultOneByteAtATime() {
        for (String input : INPUTS) {
            byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
            HeadBoundaryScanner scanner = new HeadBoundaryScanner();
            int heads = 0;

            for (byte b : bytes) {
                heads += scanner.scan(MemorySegment.ofArray(new byte[] {b}), 1);
            }

            assertThat(heads).as("heads in %s", escape(input)).isEqualTo(expectedHeads(input));
            assertThat(scanner.unfinishedBytes()).as("unfinished in %s", escape(input))
                    .isEqualTo(expectedUnfinished(input));
        }
    }

    private static int scan(HeadBoundaryScanner scanner, String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.US_ASCII);
        return scanner.scan(MemorySegment.ofArray(bytes), bytes.length);
    }

    private static int expectedHeads(String input) {
        int heads = 0;
        for (int at = input.indexOf("\r\n\r\n"); at >= 0; at = input.indexOf("\r\n\r\n", at + 4)) {
            heads++;
        }
        return heads;
    }

    private static long expectedUnfinished(String input) {
        int lastEnd = -1;
        for (int at = input.indexOf("\r\n\r\n"); at >= 0; at = input.indexOf("\r\n\r\n", at + 4)) {
            lastEnd = at + 3;
        }
        return input.length() - lastEnd - 1;
    }

    private static String escape(String input) {
        return input.replace("\r", "\\r").replace("\n", "\\n");
    }
}

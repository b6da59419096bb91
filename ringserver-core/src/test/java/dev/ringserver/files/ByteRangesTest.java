package dev.ringserver.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Range parser, written from RFC 9110 §14.1.2 and §14.2: which fields give 206 (and with which
 * ranges), which 416, and which are ignored for a full 200.
 */
class ByteRangesTest {

    private static final int MAX_RANGES = 4;

    @ParameterizedTest(name = "{0} of {1} -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
            // single ranges
            "bytes=0-499               | 10000      | PARTIAL       | 0-499",
            "bytes=500-999             | 10000      | PARTIAL       | 500-999",
            "bytes=9500-               | 10000      | PARTIAL       | 9500-9999",
            "bytes=-500                | 10000      | PARTIAL       | 9500-9999",
            "bytes=-20000              | 10000      | PARTIAL       | 0-9999",
            "bytes=0-0                 | 10000      | PARTIAL       | 0-0",
            "bytes=9999-               | 10000      | PARTIAL       | 9999-9999",
            "bytes=9000-20000          | 10000      | PARTIAL       | 9000-9999",
            "BYTES=1-2                 | 10000      | PARTIAL       | 1-2",
            "bytes=0-99999999999999999999999 | 10000 | PARTIAL      | 0-9999",
            "bytes=000000000000000000000005-6 | 10000 | PARTIAL     | 5-6",
            // several, in the order asked; unsatisfiable ones dropped; empty elements allowed
            "bytes=0-9, 20-29          | 100        | PARTIAL       | 0-9 20-29",
            "bytes=50-59,0-9           | 100        | PARTIAL       | 50-59 0-9",
            "bytes=0-9,200-300         | 100        | PARTIAL       | 0-9",
            "'bytes=0-9,,\t,20-29'     | 100        | PARTIAL       | 0-9 20-29",
            "bytes=0-9,-5              | 100        | PARTIAL       | 0-9 95-99",
            // past 2 and 4 GiB, as long
            "bytes=3000000000-3000000009 | 4294967296 | PARTIAL     | 3000000000-3000000009",
            "bytes=-10                 | 4294967296 | PARTIAL       | 4294967286-4294967295",
            "bytes=4294967295-         | 4294967296 | PARTIAL       | 4294967295-4294967295",
            // unsatisfiable: 416
            "bytes=10000-              | 10000      | UNSATISFIABLE | ''",
            "bytes=20000-30000         | 10000      | UNSATISFIABLE | ''",
            "bytes=-0                  | 10000      | UNSATISFIABLE | ''",
            "bytes=200-300,400-        | 100        | UNSATISFIABLE | ''",
            "bytes=4294967296-         | 4294967296 | UNSATISFIABLE | ''",
            // ignored: 200 with the whole file
            "bytes=5-1                 | 10000      | FULL          | ''",
            "bytes=-                   | 10000      | FULL          | ''",
            "bytes=                    | 10000      | FULL          | ''",
            "bytes=a-b                 | 10000      | FULL          | ''",
            "bytes=1-2-3               | 10000      | FULL          | ''",
            "bytes=1 -2                | 10000      | FULL          | ''",
            "bytes=-1-2                | 10000      | FULL          | ''",
            "bytes=0-9;x               | 10000      | FULL          | ''",
            "bytes 0-9                 | 10000      | FULL          | ''",
            "items=0-9                 | 10000      | FULL          | ''",
            "bytes=0-9                 | 0          | FULL          | ''",
            "bytes=-5                  | 0          | FULL          | ''",
            "bytes=0-9,5-14            | 100        | FULL          | ''",
            "bytes=0-9,-95             | 100        | FULL          | ''",
            "bytes=0-0,1-1,2-2,3-3     | 100        | PARTIAL       | 0-0 1-1 2-2 3-3",
            "bytes=0-0,1-1,2-2,3-3,4-4 | 100        | FULL          | ''",
            "bytes=0-0,1-1,2-2,3-3,500- | 100       | FULL          | ''",
    })
    void parses(String field, long length, String outcome, String expected) {
        ByteRanges ranges = ByteRanges.parse(field, length, MAX_RANGES);
        assertThat(name(ranges.outcome())).isEqualTo(outcome);
        StringBuilder actual = new StringBuilder();
        for (int i = 0; i < ranges.count(); i++) {
            actual.append(i == 0 ? "" : " ").append(ranges.first(i)).append('-').append(ranges.last(i));
            assertThat(ranges.length(i)).isEqualTo(ranges.last(i) - ranges.first(i) + 1);
        }
        assertThat(actual.toString()).isEqualTo(expected);
    }

    private static String name(int outcome) {
        return switch (outcome) {
            case ByteRanges.FULL -> "FULL";
            case ByteRanges.PARTIAL -> "PARTIAL";
            case ByteRanges.UNSATISFIABLE -> "UNSATISFIABLE";
            default -> throw new AssertionError(outcome);
        };
    }
}

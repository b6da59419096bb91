package dev.ringserver.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional requests against a file with entity tag {@code "v1"} last modified at
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}, evaluated in the order of RFC 9110 §13.2.2.
 */
class PreconditionsTest {

    private static final String ETAG = "\"v1\"";
    private static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT";
    private static final String LATER = "Sun, 06 Nov 1994 08:49:38 GMT";
    private static final long MODIFIED = HttpDates.parse(DATE);

    @ParameterizedTest(name = "[{index}] {0} / {1} / {2} / {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // If-Match        | If-None-Match  | If-Modified-Since | If-Unmodified-Since | outcome
            "-                 | -              | -                 | -                   | 200",
            "'\"v1\"'          | -              | -                 | -                   | 200",
            "'\"x\", \"v1\"'   | -              | -                 | -                   | 200",
            "*                 | -              | -                 | -                   | 200",
            "'\"x\"'           | -              | -                 | -                   | 412",
            "'W/\"v1\"'        | -              | -                 | -                   | 412",
            "'\"v1'            | -              | -                 | -                   | 412",
            "-                 | -              | -                 | " + DATE + "        | 200",
            "-                 | -              | -                 | " + LATER + "       | 200",
            "-                 | -              | -                 | " + EARLIER + "     | 412",
            "-                 | -              | -                 | garbage             | 200",
            "'\"v1\"'          | -              | -                 | " + EARLIER + "     | 200",
            "'\"x\"'           | '\"v1\"'       | -                 | -                   | 412",
            "-                 | '\"v1\"'       | -                 | -                   | 304",
            "-                 | 'W/\"v1\"'     | -                 | -                   | 304",
            "-                 | '\"a\",W/\"v1\"' | -               | -                   | 304",
            "-                 | *              | -                 | -                   | 304",
            "-                 | '\"x\"'        | -                 | -                   | 200",
            "-                 | '\"x\"'        | " + LATER + "     | -                   | 200",
            "-                 | -              | " + DATE + "      | -                   | 304",
            "-                 | -              | " + LATER + "     | -                   | 304",
            "-                 | -              | " + EARLIER + "    | -                  | 200",
            "-                 | -              | Sunday, 06-Nov-94 08:49:37 GMT | -      | 304",
            "-                 | -              | Sun Nov  6 08:49:37 1994 | -            | 304",
            "-                 | -              | 'Sun, 06 Nov 1994 08:49:37 UTC' | -     | 200",
            "-                 | -              | 1994-11-06        | -                   | 200",
            "-                 | '\"v1\"'       | " + EARLIER + "    | " + EARLIER + "    | 412",
    })
    void evaluates(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince, int outcome) {
        FileRequest request = new FileRequest(null, "/f", null, false, ifMatch, ifNoneMatch, ifModifiedSince,
                ifUnmodifiedSince, null, null, null);
        int result = Preconditions.evaluate(request, ETAG, MODIFIED);
        assertThat(result == Preconditions.PROCEED ? 200 : result).isEqualTo(outcome);
    }

    @ParameterizedTest(name = "If-Range {0} with tag {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-                      | '\"v1\"'   | true",
            "'\"v1\"'               | '\"v1\"'   | true",
            "'\"v2\"'               | '\"v1\"'   | false",
            "'W/\"v1\"'             | '\"v1\"'   | false",
            "'W/\"v1\"'             | 'W/\"v1\"' | false",
            "'\"v1\"'               | 'W/\"v1\"' | false",
            "'\"v1\"'               | -          | false",
            DATE + "                | '\"v1\"'   | true",
            LATER + "               | '\"v1\"'   | false",
            EARLIER + "             | '\"v1\"'   | false",
            "not a date             | '\"v1\"'   | false",
    })
    void decidesWhetherARangeApplies(String ifRange, String etag, boolean applies) {
        assertThat(Preconditions.rangeApplies(ifRange, etag, MODIFIED)).isEqualTo(applies);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Sun, 06 Nov 1994 08:49:37 GMT   | 784111777",
            "Sunday, 06-Nov-94 08:49:37 GMT  | 784111777",
            "Sun Nov  6 08:49:37 1994        | 784111777",
            "Thu, 01 Jan 1970 00:00:00 GMT   | 0",
            "Fri, 31 Dec 9999 23:59:59 GMT   | 253402300799",
            "Tue, 29 Feb 2000 12:00:00 GMT   | 951825600",
    })
    void parsesTheThreeDateFormats(String text, long epochSecond) {
        assertThat(HttpDates.parse(text)).isEqualTo(epochSecond);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:37", "Sun Nov 6 08:49:37 1994", "''",
            "1994-11-06T08:49:37Z", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun, 06 Nov 199x 08:49:37 GMT"})
    void refusesAnythingElse(String text) {
        assertThat(HttpDates.parse(text)).isEqualTo(HttpDates.INVALID);
    }
}

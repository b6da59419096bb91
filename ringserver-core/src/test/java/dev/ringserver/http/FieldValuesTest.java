package dev.ringserver.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static dev.ringserver.http.FieldValues.CHUNKED;
import static dev.ringserver.http.FieldValues.CHUNKED_LAST;
import static dev.ringserver.http.FieldValues.CHUNKED_TWICE;
import static dev.ringserver.http.FieldValues.CLOSE;
import static dev.ringserver.http.FieldValues.KEEP_ALIVE;
import static dev.ringserver.http.FieldValues.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

/** Values are placed after a few unrelated bytes and end exactly at their segment's end. */
class FieldValuesTest {

    private static final String BEFORE = "1, ";

    private Arena arena;

    @BeforeEach
    void openArena() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private MemorySegment segment(String value) {
        byte[] bytes = (BEFORE + value).getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    private long contentLength(String value, boolean allowList) {
        return FieldValues.contentLength(segment(value), BEFORE.length(), value.length(), allowList);
    }

    private int codings(String value) {
        return FieldValues.transferCodings(segment(value), BEFORE.length(), value.length());
    }

    private int options(String value) {
        return FieldValues.connectionOptions(segment(value), BEFORE.length(), value.length());
    }

    private int skip(String value, int from) {
        return FieldValues.skipTokenOrQuoted(segment(value), BEFORE.length(), value.length(), from);
    }

    // ---------------------------------------------------------------------------------------------
    // Content-Length (RFC 9110 §8.6, RFC 9112 §6.3)
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "0                   | 0",
            "7                   | 7",
            "42                  | 42",
            "0042                | 42",
            "000000000000000000000000000001 | 1",
            "9223372036854775807 | 9223372036854775807",
            "09223372036854775807 | 9223372036854775807"})
    @DisplayName("RFC 9110 §8.6: Content-Length = 1*DIGIT")
    void parsesDecimal(String value, long expected) {
        assertThat(contentLength(value, false)).isEqualTo(expected);
        assertThat(contentLength(value, true)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "+5", "-1", "5 5", "0x5", "5a", "a5", "5.0", "1e3", " 5", "5\t",
            "9223372036854775808", "9223372036854775810", "18446744073709551616", "99999999999999999999"})
    @DisplayName("RFC 9110 §8.6: anything but 1*DIGIT that fits in a long is invalid")
    void rejectsNonDecimal(String value) {
        assertThat(contentLength(value, false)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"5,5", "5, 5", "5 ,5", "5\t,\t5", "5,5,5", "05, 5"})
    @DisplayName("RFC 9112 §6.3: a list of one value is invalid unless allowed")
    void rejectsListsUnlessAllowed(String value) {
        assertThat(contentLength(value, false)).isEqualTo(-1);
        assertThat(contentLength(value, true)).isEqualTo(5);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"5,6", "5, 6, 5", "5,x", "5, +5", "5 5,5", "5,9223372036854775808",
            "9223372036854775808, 9223372036854775808"})
    @DisplayName("RFC 9112 §6.3: a list with differing or invalid values is invalid even when allowed")
    void rejectsBadListsEvenWhenAllowed(String value) {
        assertThat(contentLength(value, true)).isEqualTo(-1);
    }

    @Test
    @DisplayName("RFC 9110 §5.6.1: a list of one value ignores empty elements when allowed")
    void listIgnoresEmptyElements() {
        assertThat(contentLength("5, , 5", true)).isEqualTo(5);
        assertThat(contentLength("5,", true)).isEqualTo(5);
        assertThat(contentLength(",5", true)).isEqualTo(5);
    }

    // ---------------------------------------------------------------------------------------------
    // Transfer-Encoding (RFC 9112 §6.1, §7; RFC 9110 §10.1.4)
    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("RFC 9112 §6.1: chunked alone is present and last")
    void chunkedAlone() {
        assertThat(codings("chunked")).isEqualTo(CHUNKED | CHUNKED_LAST);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"CHUNKED", "Chunked", "cHuNkEd"})
    @DisplayName("RFC 9112 §7: coding names are case-insensitive")
    void chunkedInAnyCase(String value) {
        assertThat(codings(value)).isEqualTo(CHUNKED | CHUNKED_LAST);
    }

    @Test
    @DisplayName("RFC 9112 §6.1: gzip, chunked")
    void otherThenChunked() {
        assertThat(codings("gzip, chunked")).isEqualTo(OTHER | CHUNKED | CHUNKED_LAST);
    }

    @Test
    @DisplayName("RFC 9112 §6.3: chunked, gzip: chunked not last")
    void chunkedThenOther() {
        assertThat(codings("chunked, gzip")).isEqualTo(CHUNKED | OTHER);
    }

    @Test
    @DisplayName("RFC 9112 §6.1: gzip alone")
    void otherAlone() {
        assertThat(codings("gzip")).isEqualTo(OTHER);
    }

    @Test
    @DisplayName("RFC 9112 §6.1: chunked, chunked")
    void chunkedTwice() {
        assertThat(codings("chunked, chunked")).isEqualTo(CHUNKED | CHUNKED_TWICE | CHUNKED_LAST);
        assertThat(codings("chunked,gzip,chunked")).isEqualTo(CHUNKED | CHUNKED_TWICE | OTHER | CHUNKED_LAST);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", ",", " , ,\t,"})
    @DisplayName("RFC 9110 §5.6.1: empty lists have no codings")
    void emptyLists(String value) {
        assertThat(codings(value)).isZero();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {", chunked", ",,chunked", "chunked,", "chunked ,", " ,\tchunked\t, ,"})
    @DisplayName("RFC 9110 §5.6.1: empty list elements are ignored")
    void emptyElements(String value) {
        assertThat(codings(value)).isEqualTo(CHUNKED | CHUNKED_LAST);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"gzip;q=1, chunked", "foo ; a = b ; c=\"d, e\" , chunked", "foo;a=\"\\\"\",chunked",
            "x-custom;level=9,chunked"})
    @DisplayName("RFC 9110 §10.1.4: codings other than chunked may have parameters")
    void parametersOfOtherCodings(String value) {
        assertThat(codings(value)).isEqualTo(OTHER | CHUNKED | CHUNKED_LAST);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"chunked;q=1", "chunked ;a=b", "chunked;", "gzip;", "gzip;a", "gzip;a=", "gzip;=b",
            "gzip;a=\"b", "gzip;a=b c", "gzip chunked", "\"chunked\"", "chunked@", "@", "gzip;a=b;", "gzip;a=\u0001"})
    @DisplayName("RFC 9112 §7 / RFC 9110 §10.1.4: malformed coding lists")
    void malformedCodings(String value) {
        assertThat(codings(value)).isEqualTo(-1);
    }

    @Test
    @DisplayName("RFC 9110 §5.6.1: OWS after a trailing comma is still an empty element")
    void whitespaceAfterTrailingComma() {
        assertThat(codings("chunked, ")).isEqualTo(CHUNKED | CHUNKED_LAST);
    }

    // ---------------------------------------------------------------------------------------------
    // Connection (RFC 9110 §7.6.1, RFC 9112 §9.3)
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"close", "Close", "CLOSE", "foo, close", "close, foo", " close ", ",close,", "a,\tclose\t,b",
            "x close, close"})
    @DisplayName("RFC 9110 §7.6.1: the close option, in any case and list position")
    void close(String value) {
        assertThat(options(value)).isEqualTo(CLOSE);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"keep-alive", "Keep-Alive", "upgrade, KEEP-ALIVE"})
    @DisplayName("RFC 9112 §9.3: the keep-alive option")
    void keepAlive(String value) {
        assertThat(options(value)).isEqualTo(KEEP_ALIVE);
    }

    @Test
    @DisplayName("RFC 9112 §9.3: both options")
    void both() {
        assertThat(options("keep-alive, close")).isEqualTo(CLOSE | KEEP_ALIVE);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", ",", "upgrade", "closed", "x-close", "close-x", "keep-alive2", "clos", "close;a=b",
            "\"close\"", "foo close"})
    @DisplayName("RFC 9110 §7.6.1: other options are not close or keep-alive")
    void otherOptions(String value) {
        assertThat(options(value)).isZero();
    }

    // ---------------------------------------------------------------------------------------------
    // token / quoted-string (RFC 9110 §5.6.2, §5.6.4)
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" from {1} ends at {2}")
    @CsvSource(delimiterString = " => ", value = {
            "abc => 0 => 3",
            "abc;x => 0 => 3",
            "abc def => 0 => 3",
            "a=b => 2 => 3",
            "!#$%&*+-.^_`|~09Az => 0 => 18",
            "\"\" => 0 => 2",
            "\"a b\" => 0 => 5",
            "\"a b\";x => 0 => 5",
            "\"a\\\"b\" => 0 => 6",
            "\"a\\\\\" => 0 => 5",
            "\"a,;=\t\" => 0 => 7",
            "x=\"q\"y => 2 => 5"})
    @DisplayName("RFC 9110 §5.6.2/§5.6.4: skips a token or a quoted-string")
    void skipsTokenOrQuoted(String value, int from, int end) {
        assertThat(skip(value, from)).isEqualTo(end);
    }

    @Test
    @DisplayName("RFC 9110 §5.6.4: obs-text inside a quoted-string and after a backslash")
    void obsTextInQuotedString() {
        assertThat(skip("\"caf\u00e9\\\u00ff\"", 0)).isEqualTo(8);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "=", ";a", " a", "\"", "\"abc", "\"a\\", "\"a\u0001\"", "\"a\u007f\"", "\"a\\\u0001\"",
            "\"a\0\"", "@", ","})
    @DisplayName("RFC 9110 §5.6.2/§5.6.4: no token and no complete quoted-string")
    void rejectsNeither(String value) {
        assertThat(skip(value, 0)).isEqualTo(-1);
    }

    @Test
    @DisplayName("starting at the end of the value there is nothing to skip")
    void nothingAtTheEnd() {
        assertThat(skip("abc", 3)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "\"{0}\" = 100-continue")
    @ValueSource(strings = {"100-continue", "100-CONTINUE", "100-Continue"})
    @DisplayName("RFC 9110 §10.1.1: the 100-continue expectation, in any case")
    void continueExpectation(String value) {
        assertThat(FieldValues.isContinue(segment(value), BEFORE.length(), value.length())).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "100", "100-continu", "100-continuee", " 100-continue", "100-continue;a=b", "200-continue"})
    @DisplayName("RFC 9110 §10.1.1: other expectations")
    void otherExpectations(String value) {
        assertThat(FieldValues.isContinue(segment(value), BEFORE.length(), value.length())).isFalse();
    }
}

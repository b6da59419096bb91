package dev.ringserver.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which precompressed siblings an {@code Accept-Encoding} field lets the handler try, in order (RFC 9110 §12.5.3). */
class ContentCodingsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null                           | ''",
            "''                             | ''",
            "identity                       | ''",
            "gzip                           | gzip",
            "GZIP                           | gzip",
            "x-gzip                         | gzip",
            "br                             | br",
            "gzip, deflate, br              | br gzip",
            "gzip, deflate, br, zstd        | br gzip",
            "br;q=0.5, gzip                 | gzip br",
            "br;q=0.5, gzip;q=0.5           | br gzip",
            "gzip;q=1.0, br;q=0.999         | gzip br",
            "br;q=0, gzip                   | gzip",
            "br;Q=0, gzip                   | gzip",
            "br;q=0.000, gzip;q=0           | ''",
            "*                              | br gzip",
            "*;q=0                          | ''",
            "*, br;q=0                      | gzip",
            "gzip;q=0.2, *;q=0.5            | br gzip",
            "br, *;q=0                      | br",
            "identity;q=0, gzip             | gzip",
            "identity;q=0                   | ''",
            "br;q=1.5, gzip                 | gzip",
            "br;q=abc, gzip                 | gzip",
            "br;q=0.0001, gzip              | gzip",
            "br ; q=0.8 , gzip ; q=0.9      | gzip br",
            "deflate                        | ''",
    })
    void ordersTheAcceptableCodings(String acceptEncoding, String expected) {
        assertThat(String.join(" ", ContentCodings.preference(acceptEncoding))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "q={0} -> {1}")
    @CsvSource({"1,1000", "1.,1000", "1.000,1000", "0.5,500", "0.25,250", "0.125,125", "0,0", "0.,0", "1.001,0",
            "2,0", "0.1234,0", "-1,0", "'',0", ".5,0"})
    void parsesQValues(String q, int thousandths) {
        assertThat(ContentCodings.parseWeight(q)).isEqualTo(thousandths);
    }
}

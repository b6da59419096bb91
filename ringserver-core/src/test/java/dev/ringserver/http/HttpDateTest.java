package dev.ringserver.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class HttpDateTest {

    private static final String IMF_FIXDATE = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} "
            + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

    @Test
    void formatsTheRfcExample() {
        assertThat(HttpDate.format(784111777)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void formatsEpochWithZeroPadding() {
        assertThat(HttpDate.format(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
    }

    @Test
    void formatsLeapDay() {
        assertThat(HttpDate.format(951782400)).isEqualTo("Tue, 29 Feb 2000 00:00:00 GMT");
    }

    @Test
    void formatsInEnglishWhateverTheDefaultLocale() {
        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);

            assertThat(HttpDate.format(784111777)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        } finally {
            Locale.setDefault(previous);
        }
    }

    @Test
    void nowIsAnImfFixdateOfFixedLength() {
        byte[] now = HttpDate.now();

        assertThat(now).hasSize(HttpDate.LENGTH);
        assertThat(HttpDate.LENGTH).isEqualTo(29);
        assertThat(new String(now, StandardCharsets.US_ASCII)).matches(IMF_FIXDATE);
        for (byte b : now) {
            assertThat(b).isBetween((byte) 0x20, (byte) 0x7E);
        }
    }

    @Test
    void nowIsTheCurrentSecond() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = System.currentTimeMillis() / 1000;
            byte[] now = HttpDate.now();
            long after = System.currentTimeMillis() / 1000;
            if (before == after) {
                assertThat(new String(now, StandardCharsets.US_ASCII)).isEqualTo(HttpDate.format(before));
                return;
            }
        }
        throw new AssertionError("the second changed during every attempt");
    }

    @Test
    void callsWithinOneSecondShareTheArray() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = System.currentTimeMillis() / 1000;
            byte[] first = HttpDate.now();
            byte[] second = HttpDate.now();
            long after = System.currentTimeMillis() / 1000;
            if (before == after) {
                assertThat(second).isSameAs(first);
                return;
            }
        }
        throw new AssertionError("the second changed during every attempt");
    }
}

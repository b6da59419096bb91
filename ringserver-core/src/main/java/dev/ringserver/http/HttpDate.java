package dev.ringserver.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The current time as an HTTP {@code Date} value (RFC 9110 IMF-fixdate, such as
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}), formatted at most once per second for the whole process.
 * Thread-safe: the cached value is immutable and published through a volatile field.
 */
public final class HttpDate {

    /** Bytes in an IMF-fixdate. */
    public static final int LENGTH = 29;

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Cached(long second, byte[] ascii) {
    }

    private static volatile Cached cached = new Cached(Long.MIN_VALUE, new byte[0]);

    private HttpDate() {
    }

    /** The current date's ASCII bytes; callers must not modify the array. */
    public static byte[] now() {
        long second = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.second() != second) {
            current = new Cached(second, format(second).getBytes(StandardCharsets.US_ASCII));
            cached = current;
        }
        return current.ascii();
    }

    /** Formats the given epoch second. */
    public static String format(long epochSecond) {
        return FORMAT.format(Instant.ofEpochSecond(epochSecond));
    }
}

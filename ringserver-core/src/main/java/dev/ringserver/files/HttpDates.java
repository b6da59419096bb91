package dev.ringserver.files;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses HTTP dates in the three formats a recipient must accept (RFC 9110 §5.6.7): IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994}). Strict
 * otherwise: anything else is invalid, and an invalid date in a condition means the condition is
 * ignored. The day name is not checked against the date. Thread-safe.
 */
final class HttpDates {

    /** What {@link #parse} returns for an invalid date. */
    static final long INVALID = Long.MIN_VALUE;

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    private HttpDates() {
    }

    /** The epoch second of {@code text}, or {@link #INVALID}. */
    static long parse(String text) {
        if (text == null) {
            return INVALID;
        }
        String s = text.trim();
        int comma = s.indexOf(',');
        if (comma == 3 && s.length() == 29) {
            // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
            if (s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' ' || s.charAt(16) != ' '
                    || !s.endsWith(" GMT")) {
                return INVALID;
            }
            return of(digits(s, 12, 4), month(s, 8), digits(s, 5, 2), time(s, 17));
        }
        if (comma > 3) {
            // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
            int d = comma + 2;
            if (s.length() != d + 22 || s.charAt(comma + 1) != ' ' || s.charAt(d + 2) != '-' || s.charAt(d + 6) != '-'
                    || s.charAt(d + 9) != ' ' || !s.endsWith(" GMT")) {
                return INVALID;
            }
            int twoDigitYear = digits(s, d + 7, 2);
            return of(fullYear(twoDigitYear), month(s, d + 3), digits(s, d, 2), time(s, d + 10));
        }
        if (comma < 0 && s.length() == 24) {
            // asctime: "Sun Nov  6 08:49:37 1994" (the day is space-padded)
            if (s.charAt(3) != ' ' || s.charAt(7) != ' ' || s.charAt(10) != ' ' || s.charAt(19) != ' ') {
                return INVALID;
            }
            int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
            return of(digits(s, 20, 4), month(s, 4), day, time(s, 11));
        }
        return INVALID;
    }

    /**
     * A two-digit year that would lie more than 50 years in the future means the most recent past year
     * with those digits (RFC 9110 §5.6.7).
     */
    private static int fullYear(int twoDigits) {
        if (twoDigits < 0) {
            return -1;
        }
        int current = LocalDateTime.now(ZoneOffset.UTC).getYear();
        int year = current - current % 100 + twoDigits;
        return year > current + 50 ? year - 100 : year;
    }

    /** Seconds of the day from {@code HH:MM:SS} at {@code at}, or -1. */
    private static int time(String s, int at) {
        if (s.charAt(at + 2) != ':' || s.charAt(at + 5) != ':') {
            return -1;
        }
        int hours = digits(s, at, 2);
        int minutes = digits(s, at + 3, 2);
        int seconds = digits(s, at + 6, 2);
        if (hours < 0 || minutes < 0 || seconds < 0 || hours > 23 || minutes > 59 || seconds > 60) {
            return -1;
        }
        return hours * 3600 + minutes * 60 + Math.min(seconds, 59); // a leap second counts as :59
    }

    private static int month(String s, int at) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (s.startsWith(MONTHS[i], at)) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int digits(String s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long of(int year, int month, int day, int secondOfDay) {
        if (year < 0 || month < 0 || day < 0 || secondOfDay < 0) {
            return INVALID;
        }
        try {
            return LocalDateTime.of(year, month, day, 0, 0).toEpochSecond(ZoneOffset.UTC) + secondOfDay;
        } catch (DateTimeException e) {
            return INVALID; // 31 Feb and the like
        }
    }
}

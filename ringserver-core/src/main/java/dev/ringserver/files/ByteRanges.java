package dev.ringserver.files;

/**
 * A {@code Range} field (RFC 9110 §14.1.2, §14.2) resolved against a representation's length.
 * Positions are {@code long}, so ranges past 2 GiB (and past 4 GiB) work. Immutable.
 *
 * <p>Outcomes, as the RFC allows a server to decide them:
 * <ul>
 *   <li>{@link #FULL}: serve the whole representation with 200. For a field that is not a valid
 *       {@code bytes} ranges-specifier, a unit other than {@code bytes}, more ranges than allowed,
 *       ranges that overlap (a sign of a broken client or a denial-of-service attempt, §14.2), or an
 *       empty representation;</li>
 *   <li>{@link #UNSATISFIABLE}: 416 with {@code Content-Range: bytes *&#47;length}, when no range
 *       starts inside the representation;</li>
 *   <li>{@link #PARTIAL}: 206 with the satisfiable ranges, in the order asked, each cut at the end;
 *       the others are dropped.</li>
 * </ul>
 */
record ByteRanges(int outcome, long[] firsts, long[] lasts) {

    static final int FULL = 0;
    static final int PARTIAL = 1;
    static final int UNSATISFIABLE = 2;

    private static final ByteRanges FULL_RANGE = new ByteRanges(FULL, new long[0], new long[0]);
    private static final ByteRanges NONE_SATISFIABLE = new ByteRanges(UNSATISFIABLE, new long[0], new long[0]);
    /** Numbers from here on saturate: no file is that large, and the arithmetic cannot overflow. */
    private static final long SATURATED = 1L << 60;

    int count() {
        return firsts.length;
    }

    long first(int i) {
        return firsts[i];
    }

    long last(int i) {
        return lasts[i];
    }

    long length(int i) {
        return lasts[i] - firsts[i] + 1;
    }

    /** Parses {@code field} for a representation of {@code length} bytes, allowing up to {@code maxRanges}. */
    static ByteRanges parse(String field, long length, int maxRanges) {
        if (field.length() < 6 || !field.regionMatches(true, 0, "bytes=", 0, 6) || length == 0) {
            return FULL_RANGE;
        }
        long[] firsts = new long[Math.min(maxRanges, 8)];
        long[] lasts = new long[firsts.length];
        int specs = 0;
        int satisfiable = 0;
        int i = 6;
        int end = field.length();
        while (true) {
            i = skipSpaces(field, i, end);
            if (i < end && field.charAt(i) == ',') {
                i++; // empty list elements are allowed (RFC 9110 §5.6.1)
                continue;
            }
            if (i == end) {
                break;
            }
            long first = -1;
            int digits = countDigits(field, i, end);
            if (digits > 0) {
                first = number(field, i, digits);
                i += digits;
            }
            if (i == end || field.charAt(i) != '-') {
                return FULL_RANGE;
            }
            i++;
            long last = -1;
            digits = countDigits(field, i, end);
            if (digits > 0) {
                last = number(field, i, digits);
                i += digits;
            }
            if (first < 0 && last < 0 || first >= 0 && last >= 0 && last < first) {
                return FULL_RANGE; // "-" alone, or last before first: an invalid range-spec
            }
            i = skipSpaces(field, i, end);
            if (i < end && field.charAt(i) != ',') {
                return FULL_RANGE;
            }
            if (++specs > maxRanges) {
                return FULL_RANGE;
            }
            long from;
            long to;
            if (first < 0) {
                if (last == 0) {
                    continue; // a suffix of zero bytes is unsatisfiable
                }
                from = Math.max(0, length - last);
                to = length - 1;
            } else {
                if (first >= length) {
                    continue;
                }
                from = first;
                to = last < 0 ? length - 1 : Math.min(last, length - 1);
            }
            if (satisfiable == firsts.length) {
                firsts = java.util.Arrays.copyOf(firsts, firsts.length * 2);
                lasts = java.util.Arrays.copyOf(lasts, lasts.length * 2);
            }
            firsts[satisfiable] = from;
            lasts[satisfiable] = to;
            satisfiable++;
        }
        if (specs == 0) {
            return FULL_RANGE;
        }
        if (satisfiable == 0) {
            return NONE_SATISFIABLE;
        }
        for (int a = 0; a < satisfiable; a++) {
            for (int b = a + 1; b < satisfiable; b++) {
                if (firsts[a] <= lasts[b] && firsts[b] <= lasts[a]) {
                    return FULL_RANGE;
                }
            }
        }
        return new ByteRanges(PARTIAL, java.util.Arrays.copyOf(firsts, satisfiable),
                java.util.Arrays.copyOf(lasts, satisfiable));
    }

    private static int skipSpaces(String s, int i, int end) {
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int countDigits(String s, int i, int end) {
        int n = 0;
        while (i + n < end && s.charAt(i + n) >= '0' && s.charAt(i + n) <= '9') {
            n++;
        }
        return n;
    }

    private static long number(String s, int i, int digits) {
        long value = 0;
        for (int k = 0; k < digits; k++) {
            if (value > SATURATED / 10) {
                return SATURATED; // beyond any file; leading zeros still parse exactly
            }
            value = value * 10 + (s.charAt(i + k) - '0');
        }
        return value;
    }
}

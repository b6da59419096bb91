package dev.ringserver.files;

/**
 * Chooses which precompressed siblings to try for an {@code Accept-Encoding} field (RFC 9110
 * §12.5.3): {@code br} and {@code gzip} (also as {@code x-gzip}), each acceptable when listed, or
 * covered by {@code *}, with a q-value above 0; the higher q-value first, {@code br} first on a tie
 * (it is smaller). Without the field nothing is tried: a client that says nothing gets the file as it
 * is. The unencoded file is the fallback whatever the field says about {@code identity}: when no
 * acceptable sibling exists, sending the file as it is beats a 406 (§12.5.3 allows either).
 * Thread-safe.
 */
final class ContentCodings {

    static final String BR = "br";
    static final String GZIP = "gzip";

    static final String[] NONE = {};
    private static final String[] ONLY_BR = {BR};
    private static final String[] ONLY_GZIP = {GZIP};
    private static final String[] BR_THEN_GZIP = {BR, GZIP};
    private static final String[] GZIP_THEN_BR = {GZIP, BR};

    private ContentCodings() {
    }

    /** The codings to try, best first; {@link #NONE} when none is acceptable. Never null. */
    static String[] preference(String acceptEncoding) {
        if (acceptEncoding == null) {
            return NONE;
        }
        int br = -1;
        int gzip = -1;
        int any = -1;
        int i = 0;
        int end = acceptEncoding.length();
        while (i < end) {
            int comma = acceptEncoding.indexOf(',', i);
            if (comma < 0) {
                comma = end;
            }
            int semicolon = acceptEncoding.indexOf(';', i);
            int nameEnd = semicolon >= 0 && semicolon < comma ? semicolon : comma;
            String name = acceptEncoding.substring(i, nameEnd).trim();
            int q = nameEnd < comma ? qValue(acceptEncoding, nameEnd + 1, comma) : 1000;
            if (name.equalsIgnoreCase(BR)) {
                br = Math.max(br, q);
            } else if (name.equalsIgnoreCase(GZIP) || name.equalsIgnoreCase("x-gzip")) {
                gzip = Math.max(gzip, q);
            } else if (name.equals("*")) {
                any = Math.max(any, q);
            }
            i = comma + 1;
        }
        // an explicit entry wins over "*", even with a lower q-value
        if (br < 0) {
            br = any;
        }
        if (gzip < 0) {
            gzip = any;
        }
        if (br <= 0) {
            return gzip <= 0 ? NONE : ONLY_GZIP;
        }
        if (gzip <= 0) {
            return ONLY_BR;
        }
        return gzip > br ? GZIP_THEN_BR : BR_THEN_GZIP;
    }

    /**
     * The weight in thousandths from the parameters in {@code s[from, to)}, or 0 (not acceptable) when
     * a {@code q} parameter is malformed.
     */
    private static int qValue(String s, int from, int to) {
        String params = s.substring(from, to);
        for (String param : params.split(";")) {
            String p = param.trim();
            if (p.length() >= 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                return parseWeight(p.substring(2).trim());
            }
        }
        return 1000;
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, in thousandths; 0 if invalid. */
    static int parseWeight(String q) {
        if (q.isEmpty() || q.length() > 5 || (q.charAt(0) != '0' && q.charAt(0) != '1')) {
            return 0;
        }
        int value = (q.charAt(0) - '0') * 1000;
        if (q.length() > 1) {
            if (q.charAt(1) != '.') {
                return 0;
            }
            int scale = 100;
            for (int i = 2; i < q.length(); i++) {
                char c = q.charAt(i);
                if (c < '0' || c > '9') {
                    return 0;
                }
                value += (c - '0') * scale;
                scale /= 10;
            }
        }
        return value > 1000 ? 0 : value;
    }
}

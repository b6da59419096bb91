package dev.ringserver.files;

/**
 * Evaluates conditional requests against a file's validators in the order of RFC 9110 §13.2.2:
 * {@code If-Match}, else {@code If-Unmodified-Since} (412 when false); then {@code If-None-Match},
 * else {@code If-Modified-Since} (304 for GET and HEAD when false); then {@code If-Range} decides
 * whether a {@code Range} applies. Invalid dates make their condition ignored; {@code If-Match} and
 * {@code If-Range} compare entity tags strongly, {@code If-None-Match} weakly. Thread-safe.
 */
final class Preconditions {

    static final int PROCEED = 0;
    static final int NOT_MODIFIED = 304;
    static final int PRECONDITION_FAILED = 412;

    private Preconditions() {
    }

    /**
     * The outcome for a GET or HEAD of a representation with {@code etag} (null when none is sent) last
     * modified at {@code lastModified} (epoch seconds).
     */
    static int evaluate(FileRequest request, String etag, long lastModified) {
        if (request.ifMatch() != null) {
            if (!matches(request.ifMatch(), etag, true)) {
                return PRECONDITION_FAILED;
            }
        } else if (request.ifUnmodifiedSince() != null) {
            long date = HttpDates.parse(request.ifUnmodifiedSince());
            if (date != HttpDates.INVALID && lastModified > date) {
                return PRECONDITION_FAILED;
            }
        }
        if (request.ifNoneMatch() != null) {
            if (matches(request.ifNoneMatch(), etag, false)) {
                return NOT_MODIFIED; // only GET and HEAD reach here; other methods would get 412
            }
        } else if (request.ifModifiedSince() != null) {
            long date = HttpDates.parse(request.ifModifiedSince());
            if (date != HttpDates.INVALID && lastModified <= date) {
                return NOT_MODIFIED;
            }
        }
        return PROCEED;
    }

    /**
     * Whether a {@code Range} may be honoured: true without {@code If-Range}; with it, when its entity
     * tag matches {@code etag} strongly, or its date equals {@code lastModified} exactly (§13.1.5).
     */
    static boolean rangeApplies(String ifRange, String etag, long lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return etag != null && !isWeak(value) && !isWeak(etag) && value.equals(etag);
        }
        long date = HttpDates.parse(value);
        return date != HttpDates.INVALID && date == lastModified;
    }

    /**
     * Whether the field value {@code list} ({@code *} or entity tags separated by commas) matches
     * {@code etag}: strongly (both strong and equal) or weakly (equal once any {@code W/} is removed).
     */
    static boolean matches(String list, String etag, boolean strong) {
        String value = list.trim();
        if (value.equals("*")) {
            return true; // the representation exists: this handler answers 404 otherwise
        }
        if (etag == null || strong && isWeak(etag)) {
            return false;
        }
        String opaque = opaque(etag);
        int i = 0;
        int end = value.length();
        while (i < end) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            boolean weak = false;
            if (c == 'W' && value.startsWith("W/\"", i)) {
                weak = true;
                i += 2;
            } else if (c != '"') {
                return false; // not an entity tag: the list is invalid, and matches nothing
            }
            int close = value.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (!(strong && weak) && value.regionMatches(i, opaque, 0, opaque.length()) && opaque.length() == close - i + 1) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    private static boolean isWeak(String etag) {
        return etag.startsWith("W/");
    }

    /** {@code "xyz"} of {@code W/"xyz"} or {@code "xyz"}: the quoted part. */
    private static String opaque(String etag) {
        return isWeak(etag) ? etag.substring(2) : etag;
    }
}

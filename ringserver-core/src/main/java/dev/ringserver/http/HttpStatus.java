package dev.ringserver.http;

/**
 * Status codes ringserver's engine produces or commonly sees, with their reason phrases (RFC 9110).
 * Thread-safe: constants only.
 */
public final class HttpStatus {

    public static final int CONTINUE = 100;
    public static final int OK = 200;
    public static final int NO_CONTENT = 204;
    public static final int NOT_MODIFIED = 304;
    public static final int BAD_REQUEST = 400;
    public static final int NOT_FOUND = 404;
    public static final int REQUEST_TIMEOUT = 408;
    public static final int CONTENT_TOO_LARGE = 413;
    public static final int URI_TOO_LONG = 414;
    public static final int EXPECTATION_FAILED = 417;
    public static final int REQUEST_HEADER_FIELDS_TOO_LARGE = 431;
    public static final int INTERNAL_SERVER_ERROR = 500;
    public static final int NOT_IMPLEMENTED = 501;
    public static final int SERVICE_UNAVAILABLE = 503;
    public static final int HTTP_VERSION_NOT_SUPPORTED = 505;

    private static final String[] REASONS = new String[600];

    static {
        define(100, "Continue");
        define(101, "Switching Protocols");
        define(200, "OK");
        define(201, "Created");
        define(202, "Accepted");
        define(203, "Non-Authoritative Information");
        define(204, "No Content");
        define(205, "Reset Content");
        define(206, "Partial Content");
        define(300, "Multiple Choices");
        define(301, "Moved Permanently");
        define(302, "Found");
        define(303, "See Other");
        define(304, "Not Modified");
        define(307, "Temporary Redirect");
        define(308, "Permanent Redirect");
        define(400, "Bad Request");
        define(401, "Unauthorized");
        define(402, "Payment Required");
        define(403, "Forbidden");
        define(404, "Not Found");
        define(405, "Method Not Allowed");
        define(406, "Not Acceptable");
        define(407, "Proxy Authentication Required");
        define(408, "Request Timeout");
        define(409, "Conflict");
        define(410, "Gone");
        define(411, "Length Required");
        define(412, "Precondition Failed");
        define(413, "Content Too Large");
        define(414, "URI Too Long");
        define(415, "Unsupported Media Type");
        define(416, "Range Not Satisfiable");
        define(417, "Expectation Failed");
        define(421, "Misdirected Request");
        define(422, "Unprocessable Content");
        define(426, "Upgrade Required");
        define(428, "Precondition Required");
        define(429, "Too Many Requests");
        define(431, "Request Header Fields Too Large");
        define(500, "Internal Server Error");
        define(501, "Not Implemented");
        define(502, "Bad Gateway");
        define(503, "Service Unavailable");
        define(504, "Gateway Timeout");
        define(505, "HTTP Version Not Supported");
    }

    private HttpStatus() {
    }

    private static void define(int code, String reason) {
        REASONS[code] = reason;
    }

    /** The reason phrase, or an empty string for codes without one here (the phrase is optional). */
    public static String reason(int code) {
        String reason = code >= 0 && code < REASONS.length ? REASONS[code] : null;
        return reason == null ? "" : reason;
    }

    /** Whether a response with this status never has content (1xx, 204, 304). */
    public static boolean hasNoContent(int code) {
        return code < 200 || code == NO_CONTENT || code == NOT_MODIFIED;
    }
}

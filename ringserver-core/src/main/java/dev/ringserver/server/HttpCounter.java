package dev.ringserver.server;

/** What each event loop counts about HTTP requests (single writer: the loop). */
public enum HttpCounter {
    /** Requests whose head was complete and valid and that were handed to the handler. */
    REQUESTS,
    /** Requests being handled now: handed over and the response not yet ended. */
    REQUESTS_ACTIVE,
    /** Requests the engine answered with 400 (malformed). */
    ERRORS_400,
    /** Heads that missed the header deadline (408). */
    ERRORS_408,
    /** Bodies above the limit (413). */
    ERRORS_413,
    /** Request lines above the limit (414). */
    ERRORS_414,
    /** Unsupported expectations (417). */
    ERRORS_417,
    /** Header sections above the limits (431). */
    ERRORS_431,
    /** Unknown transfer codings (501). */
    ERRORS_501,
    /** Requests refused because the loop ran out of head buffers, or the blocking adapter's executor refused them (503). */
    ERRORS_503,
    /** Unsupported HTTP versions (505). */
    ERRORS_505,
    /** Handlers that threw or failed their exchange: answered 500 (or 503) when nothing was sent, else aborted. */
    HANDLER_FAILURES,
    /** Exchanges that ended without a complete response: client gone, timeout, abort. */
    ABORTED;

    /** The counter for an error status the engine produces, or null. */
    public static HttpCounter forStatus(int status) {
        return switch (status) {
            case 400 -> ERRORS_400;
            case 408 -> ERRORS_408;
            case 413 -> ERRORS_413;
            case 414 -> ERRORS_414;
            case 417 -> ERRORS_417;
            case 431 -> ERRORS_431;
            case 501 -> ERRORS_501;
            case 503 -> ERRORS_503;
            case 505 -> ERRORS_505;
            default -> null;
        };
    }
}

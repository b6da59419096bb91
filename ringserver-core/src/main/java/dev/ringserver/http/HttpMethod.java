package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The methods of RFC 9110 and PATCH (RFC 5789), recognised without creating strings. Any other token
 * is a valid method too ({@link #OTHER}); what to do with it is the handler's business. Thread-safe:
 * constants only.
 */
public final class HttpMethod {

    public static final int OTHER = 0;
    public static final int GET = 1;
    public static final int HEAD = 2;
    public static final int POST = 3;
    public static final int PUT = 4;
    public static final int DELETE = 5;
    public static final int CONNECT = 6;
    public static final int OPTIONS = 7;
    public static final int TRACE = 8;
    public static final int PATCH = 9;

    private static final String[] NAMES = {null, "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH"};

    private HttpMethod() {
    }

    /** The name of a known method id, or null for {@link #OTHER}. */
    public static String name(int method) {
        return NAMES[method];
    }

    /** The id of the method token at {@code data[offset, offset + length)} (case-sensitive, as methods are). */
    static int identify(MemorySegment data, long offset, int length) {
        for (int id = 1; id < NAMES.length; id++) {
            String name = NAMES[id];
            if (name.length() == length && matches(data, offset, name)) {
                return id;
            }
        }
        return OTHER;
    }

    private static boolean matches(MemorySegment data, long offset, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (data.get(ValueLayout.JAVA_BYTE, offset + i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Field names the engine or typical applications look at, recognised case-insensitively without
 * creating strings. Other names get {@link #OTHER}. Thread-safe: constants only.
 */
public final class HeaderName {

    public static final int OTHER = 0;
    public static final int HOST = 1;
    public static final int CONTENT_LENGTH = 2;
    public static final int TRANSFER_ENCODING = 3;
    public static final int CONNECTION = 4;
    public static final int EXPECT = 5;
    public static final int CONTENT_TYPE = 6;
    public static final int ACCEPT = 7;
    public static final int ACCEPT_ENCODING = 8;
    public static final int USER_AGENT = 9;
    public static final int COOKIE = 10;
    public static final int AUTHORIZATION = 11;
    public static final int KEEP_ALIVE = 12;
    public static final int UPGRADE = 13;
    public static final int TE = 14;
    public static final int IF_NONE_MATCH = 15;
    public static final int IF_MODIFIED_SINCE = 16;
    public static final int RANGE = 17;
    public static final int ORIGIN = 18;
    public static final int TRAILER = 19;

    private static final String[] NAMES = {null, "host", "content-length", "transfer-encoding", "connection",
            "expect", "content-type", "accept", "accept-encoding", "user-agent", "cookie", "authorization",
            "keep-alive", "upgrade", "te", "if-none-match", "if-modified-since", "range", "origin", "trailer"};

    /** Known names by length, so a lookup compares only names of the right length. */
    private static final int[][] BY_LENGTH = new int[32][];

    static {
        for (int length = 0; length < BY_LENGTH.length; length++) {
            int count = 0;
            for (int id = 1; id < NAMES.length; id++) {
                if (NAMES[id].length() == length) {
                    count++;
                }
            }
            BY_LENGTH[length] = new int[count];
            int next = 0;
            for (int id = 1; id < NAMES.length; id++) {
                if (NAMES[id].length() == length) {
                    BY_LENGTH[length][next++] = id;
                }
            }
        }
    }

    private HeaderName() {
    }

    /** The lower-case name of a known id, or null for {@link #OTHER}. */
    public static String name(int id) {
        return NAMES[id];
    }

    /** The id of {@code name} (any case), or {@link #OTHER}. */
    public static int identify(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (int id = 1; id < NAMES.length; id++) {
            if (NAMES[id].equals(lower)) {
                return id;
            }
        }
        return OTHER;
    }

    /** The id of the field name at {@code data[offset, offset + length)}, compared without case. */
    static int identify(MemorySegment data, long offset, int length) {
        if (length >= BY_LENGTH.length) {
            return OTHER;
        }
        for (int id : BY_LENGTH[length]) {
            if (equalsIgnoreCase(data, offset, NAMES[id])) {
                return id;
            }
        }
        return OTHER;
    }

    private static boolean equalsIgnoreCase(MemorySegment data, long offset, String lowerName) {
        for (int i = 0; i < lowerName.length(); i++) {
            if (HttpChars.lower(data.get(ValueLayout.JAVA_BYTE, offset + i)) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

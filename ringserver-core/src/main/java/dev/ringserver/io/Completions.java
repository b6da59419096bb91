package dev.ringserver.io;

/**
 * Completion flags shared by every backend. They use io_uring's CQE encoding so that backend passes
 * them through unchanged; the others set the same bits. Thread-safe: constants only.
 */
public final class Completions {

    /** The completion names a receive buffer: see {@link #bufferId(int)}. */
    public static final int BUFFER = 1;
    /** The multishot operation is still armed: more completions will follow. */
    public static final int MORE = 1 << 1;
    private static final int BUFFER_SHIFT = 16;

    private Completions() {
    }

    public static boolean hasMore(int flags) {
        return (flags & MORE) != 0;
    }

    public static boolean hasBuffer(int flags) {
        return (flags & BUFFER) != 0;
    }

    /** The receive buffer id of a completion with {@link #BUFFER} set. */
    public static int bufferId(int flags) {
        return flags >>> BUFFER_SHIFT;
    }

    /** Flags for a receive completion in buffer {@code bufferId}. */
    public static int withBuffer(int bufferId, boolean more) {
        return (bufferId << BUFFER_SHIFT) | BUFFER | (more ? MORE : 0);
    }
}

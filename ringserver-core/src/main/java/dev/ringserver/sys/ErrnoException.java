package dev.ringserver.sys;

import java.io.IOException;

/**
 * A failed native call, naming the call and the error: for example
 * {@code bind(127.0.0.1:8080) failed: EADDRINUSE (Address already in use)}.
 * {@link #errno()} gives the number for code that reacts to specific errors.
 */
public final class ErrnoException extends IOException {

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    /**
     * @param hint an explanation of the likely cause and fix appended to the message, or null
     */
    public ErrnoException(String call, int errno, String hint) {
        super(call + " failed: " + Errno.describe(errno) + (hint == null ? "" : ": " + hint));
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, as written in the message, such as {@code io_uring_setup}. */
    public String call() {
        return call;
    }

    /** The positive {@code errno} value. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, such as {@code EMFILE}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * Returns {@code result} when it is not negative; otherwise throws for {@code -result} as errno.
     * Binding classes return {@code -errno} on failure, so setup code writes
     * {@code int fd = ErrnoException.check("socket", PosixSockets.socket(...))}.
     */
    public static int check(String call, int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, -result);
        }
        return result;
    }

    /** As {@link #check(String, int)} for {@code long} results. */
    public static long check(String call, long result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, (int) -result);
        }
        return result;
    }
}

package dev.ringserver.sys;

import dev.ringserver.sys.linux.LinuxErrno;

/**
 * The {@code errno} values that code above the bindings compares against, resolved for the running
 * operating system. Completions carry {@code -errno} in these values on every backend, including NIO,
 * which translates Java exceptions into them.
 *
 * <p>The values come from the per-OS table ({@link LinuxErrno} on Linux). Darwin numbering arrives
 * with the Darwin platform layer; until then every OS uses the Linux table, which is consistent within
 * one process because only the NIO backend runs there. Thread-safe: constants only.
 */
public final class Errno {

    public static final int EPERM = LinuxErrno.EPERM;
    public static final int ENOENT = LinuxErrno.ENOENT;
    public static final int EINTR = LinuxErrno.EINTR;
    public static final int EIO = LinuxErrno.EIO;
    public static final int EBADF = LinuxErrno.EBADF;
    public static final int EAGAIN = LinuxErrno.EAGAIN;
    public static final int ENOMEM = LinuxErrno.ENOMEM;
    public static final int EBUSY = LinuxErrno.EBUSY;
    public static final int EEXIST = LinuxErrno.EEXIST;
    public static final int EINVAL = LinuxErrno.EINVAL;
    public static final int ENFILE = LinuxErrno.ENFILE;
    public static final int EMFILE = LinuxErrno.EMFILE;
    public static final int EPIPE = LinuxErrno.EPIPE;
    public static final int ENOSYS = LinuxErrno.ENOSYS;
    public static final int ETIME = LinuxErrno.ETIME;
    public static final int EOPNOTSUPP = LinuxErrno.EOPNOTSUPP;
    public static final int EADDRINUSE = LinuxErrno.EADDRINUSE;
    public static final int EADDRNOTAVAIL = LinuxErrno.EADDRNOTAVAIL;
    public static final int ECONNABORTED = LinuxErrno.ECONNABORTED;
    public static final int ECONNRESET = LinuxErrno.ECONNRESET;
    public static final int ENOBUFS = LinuxErrno.ENOBUFS;
    public static final int ENOTCONN = LinuxErrno.ENOTCONN;
    public static final int ETIMEDOUT = LinuxErrno.ETIMEDOUT;
    public static final int EALREADY = LinuxErrno.EALREADY;
    public static final int ECANCELED = LinuxErrno.ECANCELED;

    private Errno() {
    }

    /** The symbolic name of {@code errno}, such as {@code ECONNRESET}. */
    public static String name(int errno) {
        return LinuxErrno.name(errno);
    }

    /** The C library's description of {@code errno}. */
    public static String message(int errno) {
        return LinuxErrno.message(errno);
    }

    /** {@code NAME (description)}, for log lines and exception messages. */
    public static String describe(int errno) {
        return name(errno) + " (" + message(errno) + ")";
    }

    /** True for the errors that mean the process or system ran out of descriptors or memory. */
    public static boolean isResourceExhaustion(int errno) {
        return errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
    }
}

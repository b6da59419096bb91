package dev.ringserver.sys;

import dev.ringserver.sys.darwin.DarwinErrno;
import dev.ringserver.sys.linux.LinuxErrno;

/**
 * The {@code errno} values that code above the bindings compares against, resolved for the running
 * operating system. Completions carry {@code -errno} in these values on every backend, including NIO,
 * which translates Java exceptions into them.
 *
 * <p>The values come from the per-OS table: {@link DarwinErrno} on macOS, where the kqueue backend
 * sees libSystem's numbering ({@code EAGAIN} is 35 there, 11 on Linux), and {@link LinuxErrno}
 * everywhere else (on other systems only the NIO backend runs, and it only needs the values to be
 * consistent within the process). They are decided when the class initialises, so they are not
 * compile-time constants: compare with {@code ==}, never use them as {@code case} labels.
 * Thread-safe: constants only.
 */
public final class Errno {

    private static final boolean DARWIN = Platform.os() == Platform.Os.MAC;

    public static final int EPERM = DARWIN ? DarwinErrno.EPERM : LinuxErrno.EPERM;
    public static final int ENOENT = DARWIN ? DarwinErrno.ENOENT : LinuxErrno.ENOENT;
    public static final int EINTR = DARWIN ? DarwinErrno.EINTR : LinuxErrno.EINTR;
    public static final int EIO = DARWIN ? DarwinErrno.EIO : LinuxErrno.EIO;
    public static final int EBADF = DARWIN ? DarwinErrno.EBADF : LinuxErrno.EBADF;
    public static final int EAGAIN = DARWIN ? DarwinErrno.EAGAIN : LinuxErrno.EAGAIN;
    public static final int ENOMEM = DARWIN ? DarwinErrno.ENOMEM : LinuxErrno.ENOMEM;
    public static final int EBUSY = DARWIN ? DarwinErrno.EBUSY : LinuxErrno.EBUSY;
    public static final int EEXIST = DARWIN ? DarwinErrno.EEXIST : LinuxErrno.EEXIST;
    public static final int EINVAL = DARWIN ? DarwinErrno.EINVAL : LinuxErrno.EINVAL;
    public static final int ENFILE = DARWIN ? DarwinErrno.ENFILE : LinuxErrno.ENFILE;
    public static final int EMFILE = DARWIN ? DarwinErrno.EMFILE : LinuxErrno.EMFILE;
    public static final int EPIPE = DARWIN ? DarwinErrno.EPIPE : LinuxErrno.EPIPE;
    public static final int ENOSYS = DARWIN ? DarwinErrno.ENOSYS : LinuxErrno.ENOSYS;
    public static final int ETIME = DARWIN ? DarwinErrno.ETIME : LinuxErrno.ETIME;
    public static final int EOPNOTSUPP = DARWIN ? DarwinErrno.EOPNOTSUPP : LinuxErrno.EOPNOTSUPP;
    public static final int EADDRINUSE = DARWIN ? DarwinErrno.EADDRINUSE : LinuxErrno.EADDRINUSE;
    public static final int EADDRNOTAVAIL = DARWIN ? DarwinErrno.EADDRNOTAVAIL : LinuxErrno.EADDRNOTAVAIL;
    public static final int ECONNABORTED = DARWIN ? DarwinErrno.ECONNABORTED : LinuxErrno.ECONNABORTED;
    public static final int ECONNRESET = DARWIN ? DarwinErrno.ECONNRESET : LinuxErrno.ECONNRESET;
    public static final int ENOBUFS = DARWIN ? DarwinErrno.ENOBUFS : LinuxErrno.ENOBUFS;
    public static final int ENOTCONN = DARWIN ? DarwinErrno.ENOTCONN : LinuxErrno.ENOTCONN;
    public static final int ETIMEDOUT = DARWIN ? DarwinErrno.ETIMEDOUT : LinuxErrno.ETIMEDOUT;
    public static final int EALREADY = DARWIN ? DarwinErrno.EALREADY : LinuxErrno.EALREADY;
    public static final int ECANCELED = DARWIN ? DarwinErrno.ECANCELED : LinuxErrno.ECANCELED;

    private Errno() {
    }

    /** The symbolic name of {@code errno}, such as {@code ECONNRESET}. */
    public static String name(int errno) {
        return DARWIN ? DarwinErrno.name(errno) : LinuxErrno.name(errno);
    }

    /** The C library's description of {@code errno}. */
    public static String message(int errno) {
        return DARWIN ? DarwinErrno.message(errno) : LinuxErrno.message(errno);
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

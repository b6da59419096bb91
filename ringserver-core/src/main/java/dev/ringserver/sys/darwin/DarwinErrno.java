package dev.ringserver.sys.darwin;

/**
 * macOS {@code errno} values ({@code <sys/errno.h>}, the same on arm64 and x86-64) with their symbolic
 * names and descriptions, so messages can say {@code EADDRINUSE (Address already in use)}. The
 * numbering is BSD's and differs from Linux's above 34: {@code EAGAIN} is 35, {@code ECONNRESET} 54.
 * {@code EOPNOTSUPP} is 102, the value a program built with {@code __DARWIN_UNIX03} (every 64-bit
 * program) sees; 45 is {@code ENOTSUP}. Descriptions are the header's comments, which are also what
 * libSystem's {@code strerror} says. Thread-safe: constants only.
 */
public final class DarwinErrno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EPIPE = 32;
    public static final int EAGAIN = 35;
    public static final int EINPROGRESS = 36;
    public static final int EALREADY = 37;
    public static final int ENOTSOCK = 38;
    public static final int ENOPROTOOPT = 42;
    public static final int EPROTONOSUPPORT = 43;
    public static final int ENOTSUP = 45;
    public static final int EAFNOSUPPORT = 47;
    public static final int EADDRINUSE = 48;
    public static final int EADDRNOTAVAIL = 49;
    public static final int ENETDOWN = 50;
    public static final int ENETUNREACH = 51;
    public static final int ECONNABORTED = 53;
    public static final int ECONNRESET = 54;
    public static final int ENOBUFS = 55;
    public static final int EISCONN = 56;
    public static final int ENOTCONN = 57;
    public static final int ESHUTDOWN = 58;
    public static final int ETIMEDOUT = 60;
    public static final int ECONNREFUSED = 61;
    public static final int EHOSTUNREACH = 65;
    public static final int ENOSYS = 78;
    public static final int EOVERFLOW = 84;
    public static final int ECANCELED = 89;
    public static final int ETIME = 101;
    public static final int EOPNOTSUPP = 102;

    private static final String[] NAMES = new String[107];
    private static final String[] MESSAGES = new String[107];

    static {
        define(EPERM, "EPERM", "Operation not permitted");
        define(ENOENT, "ENOENT", "No such file or directory");
        define(EINTR, "EINTR", "Interrupted system call");
        define(EIO, "EIO", "Input/output error");
        define(EBADF, "EBADF", "Bad file descriptor");
        define(ENOMEM, "ENOMEM", "Cannot allocate memory");
        define(EACCES, "EACCES", "Permission denied");
        define(EFAULT, "EFAULT", "Bad address");
        define(EBUSY, "EBUSY", "Device / Resource busy");
        define(EEXIST, "EEXIST", "File exists");
        define(EINVAL, "EINVAL", "Invalid argument");
        define(ENFILE, "ENFILE", "Too many open files in system");
        define(EMFILE, "EMFILE", "Too many open files");
        define(ENOSPC, "ENOSPC", "No space left on device");
        define(ESPIPE, "ESPIPE", "Illegal seek");
        define(EPIPE, "EPIPE", "Broken pipe");
        define(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        define(EINPROGRESS, "EINPROGRESS", "Operation now in progress");
        define(EALREADY, "EALREADY", "Operation already in progress");
        define(ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
        define(ENOPROTOOPT, "ENOPROTOOPT", "Protocol not available");
        define(EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported");
        define(ENOTSUP, "ENOTSUP", "Operation not supported");
        define(EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol family");
        define(EADDRINUSE, "EADDRINUSE", "Address already in use");
        define(EADDRNOTAVAIL, "EADDRNOTAVAIL", "Can't assign requested address");
        define(ENETDOWN, "ENETDOWN", "Network is down");
        define(ENETUNREACH, "ENETUNREACH", "Network is unreachable");
        define(ECONNABORTED, "ECONNABORTED", "Software caused connection abort");
        define(ECONNRESET, "ECONNRESET", "Connection reset by peer");
        define(ENOBUFS, "ENOBUFS", "No buffer space available");
        define(EISCONN, "EISCONN", "Socket is already connected");
        define(ENOTCONN, "ENOTCONN", "Socket is not connected");
        define(ESHUTDOWN, "ESHUTDOWN", "Can't send after socket shutdown");
        define(ETIMEDOUT, "ETIMEDOUT", "Operation timed out");
        define(ECONNREFUSED, "ECONNREFUSED", "Connection refused");
        define(EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
        define(ENOSYS, "ENOSYS", "Function not implemented");
        define(EOVERFLOW, "EOVERFLOW", "Value too large to be stored in data type");
        define(ECANCELED, "ECANCELED", "Operation canceled");
        define(ETIME, "ETIME", "STREAM ioctl timeout");
        define(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported on socket");
    }

    private DarwinErrno() {
    }

    private static void define(int errno, String name, String message) {
        NAMES[errno] = name;
        MESSAGES[errno] = message;
    }

    /** The symbolic name, such as {@code EMFILE}, or {@code errno N} for values without one here. */
    public static String name(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /** The description, or {@code Unknown error: N} as libSystem's {@code strerror} says. */
    public static String message(int errno) {
        String message = errno > 0 && errno < MESSAGES.length ? MESSAGES[errno] : null;
        return message != null ? message : "Unknown error: " + errno;
    }
}

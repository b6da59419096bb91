package dev.ringserver.io.kqueue;

import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.posix.PosixFiles;

import java.util.Arrays;

/**
 * Second descriptors for {@code EVFILT_WRITE}, for kqueue implementations that cannot watch one
 * descriptor in both directions. libkqueue 2.3 (the version Ubuntu packages) adds every
 * registration of a kqueue to one epoll set, keyed by descriptor, so registering {@code EVFILT_WRITE}
 * on a socket that already has {@code EVFILT_READ} fails ({@code EEXIST} inside, reported as
 * {@code EFAULT}). A duplicate ({@code F_DUPFD_CLOEXEC}) is another number for the same socket, which
 * epoll accepts beside the first, so the poller registers {@code EVFILT_WRITE} on it and maps its
 * events back to the handle. Costs one descriptor and two system calls per connection; used only
 * where the probe found the limitation. Linux only (libkqueue).
 *
 * <p>A duplicate keeps the socket open: {@link #close} must run before the handle is closed, which
 * the poller's {@code deregister} guarantees. Confined to the poller's (the loop's) thread.
 */
final class WriteDuplicates {

    private static final int NONE = -1;

    private int[] duplicateOf = filled(new int[1024]);
    private int[] handleOf = filled(new int[1024]);

    /**
     * Opens the duplicate of {@code handle}.
     *
     * @return the duplicate descriptor, or -errno
     */
    int open(int handle) {
        int duplicate = PosixFiles.fcntl(handle, LinuxAbi.F_DUPFD_CLOEXEC, 0);
        if (duplicate < 0) {
            return duplicate;
        }
        duplicateOf = ensure(duplicateOf, handle);
        handleOf = ensure(handleOf, duplicate);
        duplicateOf[handle] = duplicate;
        handleOf[duplicate] = handle;
        return duplicate;
    }

    /** The duplicate of {@code handle}, or -1. */
    int duplicateOf(int handle) {
        return handle >= 0 && handle < duplicateOf.length ? duplicateOf[handle] : NONE;
    }

    /** The handle {@code duplicate} stands for, or -1 for a descriptor that is no duplicate. */
    int handleOf(int duplicate) {
        return duplicate >= 0 && duplicate < handleOf.length ? handleOf[duplicate] : NONE;
    }

    /** Closes the duplicate of {@code handle}, if it has one. */
    void close(int handle) {
        int duplicate = duplicateOf(handle);
        if (duplicate != NONE) {
            duplicateOf[handle] = NONE;
            handleOf[duplicate] = NONE;
            PosixFiles.close(duplicate);
        }
    }

    private static int[] ensure(int[] table, int index) {
        if (index < table.length) {
            return table;
        }
        int[] larger = Arrays.copyOf(table, Math.max(index + 1, table.length * 2));
        Arrays.fill(larger, table.length, larger.length, NONE);
        return larger;
    }

    private static int[] filled(int[] table) {
        Arrays.fill(table, NONE);
        return table;
    }
}

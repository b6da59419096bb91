package dev.ringserver.sys.darwin;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bindings to the descriptor calls whose macOS prototype differs from Linux's: {@code sendfile}. The
 * calls both systems share are in {@link dev.ringserver.sys.posix.PosixFiles}. The symbol is linked
 * when the class initialises (glibc has a {@code sendfile} with another prototype), so use it only on
 * macOS. Thread-safe.
 */
public final class DarwinFiles {

    // int sendfile(int fd, int s, off_t offset, off_t *len, struct sf_hdtr *hdtr, int flags)
    private static final MethodHandle SENDFILE = NativeCalls.downcall("sendfile",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));

    private DarwinFiles() {
    }

    /**
     * Sends up to {@code *length} bytes of the file {@code fileFd} from {@code offset} to the socket
     * {@code socketFd}, without headers or trailers. Unlike Linux, the file comes first, the offset is a
     * value (the file's position is never used or moved) and the count is in/out: on return
     * {@code length} holds the bytes sent, also when the call fails with {@code EAGAIN} or
     * {@code EINTR} after sending part. A {@code *length} of 0 means "to the end of the file", so
     * callers must never pass 0.
     *
     * @param length a native {@code off_t}: the bytes to send in, the bytes sent out
     * @return 0, or -errno (check {@code length} for progress either way)
     */
    public static int sendfile(int fileFd, int socketFd, long offset, MemorySegment length) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return NativeCalls.result((int) SENDFILE.invokeExact(errno, fileFd, socketFd, offset, length,
                    MemorySegment.NULL, 0), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }
}

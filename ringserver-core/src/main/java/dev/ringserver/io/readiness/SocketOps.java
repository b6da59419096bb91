package dev.ringserver.io.readiness;

import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.ListenOptions;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The non-blocking socket calls a readiness backend makes once a handle is ready. Results follow the
 * kernel convention: a count or handle on success, {@code -errno} on failure, {@code -EAGAIN} when the
 * call would block. Confined to the backend's thread.
 */
public interface SocketOps {

    /** Opens a non-blocking listener; the returned handle is not yet registered with a poller. */
    int listen(InetSocketAddress address, ListenOptions options) throws IOException;

    InetSocketAddress localAddress(int handle) throws IOException;

    InetSocketAddress remoteAddress(int handle) throws IOException;

    /** Accepts one connection as a non-blocking handle. */
    int accept(int listener);

    /** Receives into the whole of {@code buffer}. */
    long recv(int handle, MemorySegment buffer);

    /** @param more hold back a final partial segment for the next write ({@code MSG_MORE}), where the OS can */
    long send(int handle, MemorySegment buffer, long offset, int length, boolean more);

    long sendv(int handle, MemorySegment iovecs, int count);

    long sendfile(int handle, FileHandle file, long offset, int count);

    int shutdownOutput(int handle);

    /** Forgets a handle without closing its socket. */
    DetachedSocket detach(int handle);

    /** Takes a socket detached elsewhere into this backend's handle space. */
    int attach(DetachedSocket socket) throws IOException;

    /** Closes a handle; returns 0 or -errno. */
    int close(int handle);
}

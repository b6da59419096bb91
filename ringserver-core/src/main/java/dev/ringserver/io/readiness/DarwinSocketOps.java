package dev.ringserver.io.readiness;

import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.io.NativeFileHandle;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.darwin.DarwinAbi;
import dev.ringserver.sys.darwin.DarwinFiles;
import dev.ringserver.sys.darwin.DarwinSocketSetup;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.sys.posix.PosixSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * {@link SocketOps} as macOS system calls through FFM; handles are file descriptors. What differs
 * from {@link LinuxSocketOps}:
 * <ul>
 *   <li>no {@code accept4}: an accepted socket is made non-blocking and close-on-exec with two
 *       {@code fcntl} calls;</li>
 *   <li>no {@code MSG_NOSIGNAL}: the listener sets {@code SO_NOSIGPIPE}, which accepted sockets
 *       inherit, so {@code send} passes no flags;</li>
 *   <li>{@code sendfile(file, socket, offset, &len, NULL, 0)} reports what it sent in {@code len} even
 *       when it fails with {@code EAGAIN}: that partial progress is the result, and {@code EAGAIN} is
 *       only returned when nothing was sent.</li>
 * </ul>
 *
 * <p>Confined to the backend's thread: the {@code sendfile} length lives in a scratch segment.
 */
public final class DarwinSocketOps implements SocketOps {

    private final MemorySegment sendfileLength;

    /** @param arena the backend's confined arena, which owns the scratch memory */
    public DarwinSocketOps(Arena arena) {
        // NATIVE: 8 bytes in the backend's arena, used only for the duration of each sendfile call.
        this.sendfileLength = NativeMemory.allocate(arena, 8, 8);
    }

    @Override
    public int listen(InetSocketAddress address, ListenOptions options) throws IOException {
        return DarwinSocketSetup.openListener(address, options.backlog(), options.reusePort());
    }

    @Override
    public InetSocketAddress localAddress(int handle) throws ErrnoException {
        return DarwinSocketSetup.localAddress(handle);
    }

    @Override
    public InetSocketAddress remoteAddress(int handle) throws ErrnoException {
        return DarwinSocketSetup.remoteAddress(handle);
    }

    @Override
    public int accept(int listener) {
        int fd = PosixSockets.accept(listener, MemorySegment.NULL, MemorySegment.NULL);
        if (fd < 0) {
            return fd;
        }
        int rc = DarwinSocketSetup.makeNonBlockingAndCloseOnExec(fd);
        if (rc < 0) {
            PosixFiles.close(fd);
            return rc;
        }
        return fd;
    }

    @Override
    public long recv(int handle, MemorySegment buffer) {
        return PosixSockets.recv(handle, buffer, 0, buffer.byteSize(), 0);
    }

    /** {@code more} is ignored: xnu has no {@code MSG_MORE}. */
    @Override
    public long send(int handle, MemorySegment buffer, long offset, int length, boolean more) {
        return PosixSockets.send(handle, buffer, offset, length, 0);
    }

    @Override
    public long sendv(int handle, MemorySegment iovecs, int count) {
        return PosixSockets.writev(handle, iovecs, count);
    }

    @Override
    public long sendfile(int handle, FileHandle file, long offset, int count) {
        if (count <= 0) {
            return 0; // a length of 0 would mean "to the end of the file" to Darwin's sendfile
        }
        sendfileLength.set(ValueLayout.JAVA_LONG, 0, count);
        int rc = DarwinFiles.sendfile(((NativeFileHandle) file).fd(), handle, offset, sendfileLength);
        return sendfileResult(rc, sendfileLength.get(ValueLayout.JAVA_LONG, 0));
    }

    /**
     * The completion result of a Darwin {@code sendfile} that returned {@code rc} and reported
     * {@code sent} bytes in its length argument: bytes that left are progress whatever the return
     * value says ({@code EAGAIN} when the socket buffer filled, {@code EINTR}, or an error such as
     * {@code EPIPE} that the next call will report again); with nothing sent, the error, or 0 at the end
     * of the file.
     */
    static long sendfileResult(int rc, long sent) {
        return sent > 0 ? sent : rc;
    }

    @Override
    public int shutdownOutput(int handle) {
        return PosixSockets.shutdown(handle, DarwinAbi.SHUT_WR);
    }

    @Override
    public DetachedSocket detach(int handle) {
        return new DetachedSocket.Native(handle);
    }

    @Override
    public int attach(DetachedSocket socket) {
        return ((DetachedSocket.Native) socket).fd();
    }

    @Override
    public int close(int handle) {
        return PosixFiles.close(handle);
    }
}

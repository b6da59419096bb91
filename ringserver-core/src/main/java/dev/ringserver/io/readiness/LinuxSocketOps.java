package dev.ringserver.io.readiness;

import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.io.NativeFileHandle;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxFiles;
import dev.ringserver.sys.linux.LinuxSocketSetup;
import dev.ringserver.sys.linux.LinuxSockets;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.sys.posix.PosixSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * {@link SocketOps} as Linux system calls through FFM; handles are file descriptors. Shared by the
 * readiness backends that run on Linux sockets (epoll, and kqueue over libkqueue).
 *
 * <p>Confined to the backend's thread: the {@code sendfile} offset lives in a scratch segment.
 */
public final class LinuxSocketOps implements SocketOps {

    private final MemorySegment sendfileOffset;

    /** @param arena the backend's confined arena, which owns the scratch memory */
    public LinuxSocketOps(Arena arena) {
        // NATIVE: 8 bytes in the backend's arena, used only for the duration of each sendfile call.
        this.sendfileOffset = NativeMemory.allocate(arena, 8, 8);
    }

    @Override
    public int listen(InetSocketAddress address, ListenOptions options) throws IOException {
        return LinuxSocketSetup.openListener(address, options.backlog(), options.reusePort());
    }

    @Override
    public InetSocketAddress localAddress(int handle) throws ErrnoException {
        return LinuxSocketSetup.localAddress(handle);
    }

    @Override
    public InetSocketAddress remoteAddress(int handle) throws ErrnoException {
        return LinuxSocketSetup.remoteAddress(handle);
    }

    @Override
    public int accept(int listener) {
        return LinuxSockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC);
    }

    @Override
    public long recv(int handle, MemorySegment buffer) {
        return PosixSockets.recv(handle, buffer, 0, buffer.byteSize(), 0);
    }

    @Override
    public long send(int handle, MemorySegment buffer, long offset, int length, boolean more) {
        return PosixSockets.send(handle, buffer, offset, length, LinuxAbi.sendFlags(more));
    }

    @Override
    public long sendv(int handle, MemorySegment iovecs, int count) {
        return PosixSockets.writev(handle, iovecs, count);
    }

    @Override
    public long sendfile(int handle, FileHandle file, long offset, int count) {
        sendfileOffset.set(ValueLayout.JAVA_LONG, 0, offset);
        return LinuxFiles.sendfile(handle, ((NativeFileHandle) file).fd(), sendfileOffset, count);
    }

    @Override
    public int shutdownOutput(int handle) {
        return PosixSockets.shutdown(handle, LinuxAbi.SHUT_WR);
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

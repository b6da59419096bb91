package dev.ringserver.io;

import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.Platform;
import dev.ringserver.sys.darwin.DarwinAbi;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.posix.PosixFiles;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file open as a native descriptor, for native backends. Thread-safe; each handle closes once, and
 * the descriptor is closed with the last handle sharing it ({@link #share()}).
 */
public final class NativeFileHandle implements FileHandle {

    // O_CLOEXEC is 0x80000 on Linux and 0x1000000 on macOS.
    private static final int OPEN_FLAGS = Platform.os() == Platform.Os.MAC
            ? DarwinAbi.O_RDONLY | DarwinAbi.O_CLOEXEC
            : LinuxAbi.O_RDONLY | LinuxAbi.O_CLOEXEC;

    private final int fd;
    private final long size;
    private final FileReferences references;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeFileHandle(int fd, long size, FileReferences references) {
        this.fd = fd;
        this.size = size;
        this.references = references;
    }

    /** Opens {@code path} read-only and close-on-exec. Blocks on the file system: never call on a loop. */
    public static NativeFileHandle open(Path path) throws IOException {
        int fd;
        // NATIVE: a confined arena holds the NUL-terminated path for the duration of the synchronous open.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            fd = PosixFiles.open(name, OPEN_FLAGS, 0);
        }
        if (fd < 0) {
            throw new ErrnoException("open(" + path + ")", -fd);
        }
        try {
            return new NativeFileHandle(fd, Files.size(path), new FileReferences());
        } catch (IOException | RuntimeException e) {
            PosixFiles.close(fd);
            throw e;
        }
    }

    /** The file descriptor. */
    public int fd() {
        return fd;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public NativeFileHandle share() {
        if (closed.get()) {
            throw new IllegalStateException("the file handle is closed");
        }
        references.retain();
        return new NativeFileHandle(fd, size, references);
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true) && references.release()) {
            ErrnoException.check("close(file)", PosixFiles.close(fd));
        }
    }
}

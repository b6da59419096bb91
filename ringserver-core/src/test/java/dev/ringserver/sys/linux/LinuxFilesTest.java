package dev.ringserver.sys.linux;

import dev.ringserver.sys.NativeCalls;
import dev.ringserver.sys.posix.PosixFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import static org.assertj.core.api.Assertions.assertThat;

class LinuxFilesTest {

    private static final byte[] CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void reportsBadFileDescriptorForClosedFd() {
        assertThat(PosixFiles.close(-1)).isEqualTo(-LinuxErrno.EBADF);
    }

    @Test
    void reportsNoSuchFileForMissingPath() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(dir.resolve("missing").toString());

            assertThat(PosixFiles.open(path, LinuxAbi.O_RDONLY | LinuxAbi.O_CLOEXEC, 0)).isEqualTo(-LinuxErrno.ENOENT);
        }
    }

    @Test
    void capturesEachCallsOwnErrno() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment missing = arena.allocateFrom(dir.resolve("missing").toString());

            assertThat(PosixFiles.close(-1)).isEqualTo(-LinuxErrno.EBADF);
            assertThat(PosixFiles.open(missing, LinuxAbi.O_RDONLY, 0)).isEqualTo(-LinuxErrno.ENOENT);
            assertThat(PosixFiles.close(-1)).isEqualTo(-LinuxErrno.EBADF);
        }
    }

    @Test
    void convertsMinusOneToNegatedCapturedErrno() {
        try (Arena arena = Arena.ofConfined()) {
            MemoryLayout layout = Linker.Option.captureStateLayout();
            MemorySegment state = arena.allocate(layout);
            VarHandle errno = layout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            errno.set(state, 0L, LinuxErrno.EMFILE);

            assertThat(NativeCalls.errno(state)).isEqualTo(LinuxErrno.EMFILE);
            assertThat(NativeCalls.result(-1, state)).isEqualTo(-LinuxErrno.EMFILE);
            assertThat(NativeCalls.result(-1L, state)).isEqualTo(-LinuxErrno.EMFILE);
            assertThat(NativeCalls.result(7, state)).isEqualTo(7);
            assertThat(NativeCalls.result(1L << 40, state)).isEqualTo(1L << 40);
        }
    }

    @Test
    void opensExistingFileAndReadsIt() throws IOException {
        Path file = Files.write(dir.resolve("data"), CONTENT);
        try (Arena arena = Arena.ofConfined()) {
            int fd = PosixFiles.open(arena.allocateFrom(file.toString()), LinuxAbi.O_RDONLY | LinuxAbi.O_CLOEXEC, 0);
            assertThat(fd).isNotNegative();
            try {
                MemorySegment buffer = arena.allocate(64);

                long read = PosixFiles.read(fd, buffer, buffer.byteSize());

                assertThat(read).isEqualTo(CONTENT.length);
                assertThat(buffer.asSlice(0, read).toArray(ValueLayout.JAVA_BYTE)).containsExactly(CONTENT);
            } finally {
                assertThat(PosixFiles.close(fd)).isZero();
            }
        }
    }

    @Test
    void createsFileWithRequestedMode() throws IOException {
        Path file = dir.resolve("created");
        try (Arena arena = Arena.ofConfined()) {
            int fd = PosixFiles.open(arena.allocateFrom(file.toString()),
                    LinuxAbi.O_WRONLY | LinuxAbi.O_CREAT | LinuxAbi.O_TRUNC | LinuxAbi.O_CLOEXEC, 0600);
            assertThat(fd).isNotNegative();
            try {
                MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, CONTENT);

                assertThat(PosixFiles.write(fd, out, CONTENT.length)).isEqualTo(CONTENT.length);
            } finally {
                PosixFiles.close(fd);
            }
        }

        assertThat(Files.readAllBytes(file)).containsExactly(CONTENT);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void pipeCarriesWrittenBytes() {
        try (Arena arena = Arena.ofConfined()) {
            int[] pipe = pipe(arena, LinuxAbi.O_CLOEXEC);
            try {
                MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, CONTENT);
                MemorySegment in = arena.allocate(CONTENT.length);

                assertThat(PosixFiles.write(pipe[1], out, CONTENT.length)).isEqualTo(CONTENT.length);
                assertThat(PosixFiles.read(pipe[0], in, CONTENT.length)).isEqualTo(CONTENT.length);
                assertThat(in.toArray(ValueLayout.JAVA_BYTE)).containsExactly(CONTENT);
            } finally {
                closeAll(pipe);
            }
        }
    }

    @Test
    void emptyNonBlockingPipeReportsEagain() {
        try (Arena arena = Arena.ofConfined()) {
            int[] pipe = pipe(arena, LinuxAbi.O_NONBLOCK | LinuxAbi.O_CLOEXEC);
            try {
                MemorySegment in = arena.allocate(16);

                assertThat(PosixFiles.read(pipe[0], in, 16)).isEqualTo(-LinuxErrno.EAGAIN);
            } finally {
                closeAll(pipe);
            }
        }
    }

    @Test
    void fcntlReportsNonBlockingFlag() {
        try (Arena arena = Arena.ofConfined()) {
            int[] blocking = pipe(arena, LinuxAbi.O_CLOEXEC);
            int[] nonBlocking = pipe(arena, LinuxAbi.O_NONBLOCK | LinuxAbi.O_CLOEXEC);
            try {
                assertThat(PosixFiles.fcntl(blocking[0], LinuxAbi.F_GETFL, 0) & LinuxAbi.O_NONBLOCK).isZero();
                assertThat(PosixFiles.fcntl(nonBlocking[0], LinuxAbi.F_GETFL, 0) & LinuxAbi.O_NONBLOCK)
                        .isEqualTo(LinuxAbi.O_NONBLOCK);
            } finally {
                closeAll(blocking);
                closeAll(nonBlocking);
            }
        }
    }

    @Test
    void eventfdReturnsWrittenValue() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LinuxFiles.eventfd(0, LinuxAbi.EFD_CLOEXEC);
            assertThat(fd).isNotNegative();
            try {
                MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_LONG, 42L);
                MemorySegment read = arena.allocate(ValueLayout.JAVA_LONG);

                assertThat(PosixFiles.write(fd, value, 8)).isEqualTo(8);
                assertThat(PosixFiles.read(fd, read, 8)).isEqualTo(8);
                assertThat(read.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(42L);
            } finally {
                PosixFiles.close(fd);
            }
        }
    }

    @Test
    void eventfdAddsWritesToInitialValueAndResetsOnRead() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LinuxFiles.eventfd(3, LinuxAbi.EFD_NONBLOCK | LinuxAbi.EFD_CLOEXEC);
            assertThat(fd).isNotNegative();
            try {
                MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_LONG, 4L);
                MemorySegment read = arena.allocate(ValueLayout.JAVA_LONG);

                PosixFiles.write(fd, value, 8);
                assertThat(PosixFiles.read(fd, read, 8)).isEqualTo(8);
                assertThat(read.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(7L);
                assertThat(PosixFiles.read(fd, read, 8)).isEqualTo(-LinuxErrno.EAGAIN);
            } finally {
                PosixFiles.close(fd);
            }
        }
    }

    @Test
    void sendfileCopiesFileToPipeAndAdvancesOffset() throws IOException {
        Path file = Files.write(dir.resolve("sendfile"), CONTENT);
        try (Arena arena = Arena.ofConfined()) {
            int fd = openForReading(arena, file);
            int[] pipe = pipe(arena, LinuxAbi.O_CLOEXEC);
            try {
                MemorySegment offset = arena.allocateFrom(ValueLayout.JAVA_LONG, 10L);

                long sent = LinuxFiles.sendfile(pipe[1], fd, offset, 8);

                assertThat(sent).isEqualTo(8);
                assertThat(offset.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(18L);
                assertThat(readExactly(arena, pipe[0], 8))
                        .isEqualTo("abcdefgh".getBytes(StandardCharsets.US_ASCII));
            } finally {
                PosixFiles.close(fd);
                closeAll(pipe);
            }
        }
    }

    @Test
    void sendfileStopsAtEndOfFile() throws IOException {
        Path file = Files.write(dir.resolve("short"), CONTENT);
        try (Arena arena = Arena.ofConfined()) {
            int fd = openForReading(arena, file);
            int[] pipe = pipe(arena, LinuxAbi.O_CLOEXEC);
            try {
                MemorySegment offset = arena.allocateFrom(ValueLayout.JAVA_LONG, (long) CONTENT.length - 3);

                assertThat(LinuxFiles.sendfile(pipe[1], fd, offset, 100)).isEqualTo(3);
                assertThat(LinuxFiles.sendfile(pipe[1], fd, offset, 100)).isZero();
                assertThat(offset.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(CONTENT.length);
            } finally {
                PosixFiles.close(fd);
                closeAll(pipe);
            }
        }
    }

    @Test
    void spliceMovesFileBytesIntoPipe() throws IOException {
        Path file = Files.write(dir.resolve("splice"), CONTENT);
        try (Arena arena = Arena.ofConfined()) {
            int fd = openForReading(arena, file);
            int[] pipe = pipe(arena, LinuxAbi.O_CLOEXEC);
            try {
                MemorySegment offset = arena.allocateFrom(ValueLayout.JAVA_LONG, 0L);

                long moved = LinuxFiles.splice(fd, offset, pipe[1], MemorySegment.NULL, CONTENT.length, 0);

                assertThat(moved).isEqualTo(CONTENT.length);
                assertThat(offset.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(CONTENT.length);
                assertThat(readExactly(arena, pipe[0], CONTENT.length)).isEqualTo(CONTENT);
            } finally {
                PosixFiles.close(fd);
                closeAll(pipe);
            }
        }
    }

    @Test
    void spliceWithoutPipeEndFails() throws IOException {
        Path a = Files.write(dir.resolve("a"), CONTENT);
        Path b = Files.write(dir.resolve("b"), CONTENT);
        try (Arena arena = Arena.ofConfined()) {
            int in = openForReading(arena, a);
            int out = PosixFiles.open(arena.allocateFrom(b.toString()), LinuxAbi.O_WRONLY | LinuxAbi.O_CLOEXEC, 0);
            assertThat(out).isNotNegative();
            try {
                assertThat(LinuxFiles.splice(in, MemorySegment.NULL, out, MemorySegment.NULL, 4, 0))
                        .isEqualTo(-LinuxErrno.EINVAL);
            } finally {
                PosixFiles.close(in);
                PosixFiles.close(out);
            }
        }
    }

    private static int openForReading(Arena arena, Path file) {
        int fd = PosixFiles.open(arena.allocateFrom(file.toString()), LinuxAbi.O_RDONLY | LinuxAbi.O_CLOEXEC, 0);
        assertThat(fd).as("open %s", file).isNotNegative();
        return fd;
    }

    private static int[] pipe(Arena arena, int flags) {
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        assertThat(LinuxFiles.pipe2(fds, flags)).isZero();
        int[] pair = fds.toArray(ValueLayout.JAVA_INT);
        assertThat(pair[0]).isNotNegative().isNotEqualTo(pair[1]);
        assertThat(pair[1]).isNotNegative();
        return pair;
    }

    private static byte[] readExactly(Arena arena, int fd, int length) {
        MemorySegment buffer = arena.allocate(length);
        long total = 0;
        while (total < length) {
            long n = PosixFiles.read(fd, buffer.asSlice(total), length - total);
            assertThat(n).as("read").isPositive();
            total += n;
        }
        return buffer.toArray(ValueLayout.JAVA_BYTE);
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            PosixFiles.close(fd);
        }
    }
}

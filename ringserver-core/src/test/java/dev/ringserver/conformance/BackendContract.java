package dev.ringserver.conformance;

import dev.ringserver.io.Completions;
import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoCounter;
import dev.ringserver.io.IoVecs;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.Platform;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The {@link IoBackend} contract, checked directly on a backend owned by the test thread, with real
 * sockets on loopback. Every backend runs these tests through a subclass; an unavailable backend is
 * skipped with the probe's reason.
 */
abstract class BackendContract {

    private static final long LISTENER = 1;
    private static final long RECV = 2;
    private static final long WRITE = 3;
    private static final long CLOSE = 4;

    private final List<Completion> completions = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private Leaks leaks;
    private IoBackend backend;
    private Arena arena;

    record Completion(long tag, int result, int flags) {
        boolean more() {
            return Completions.hasMore(flags);
        }
    }

    protected abstract BackendUnderTest backendUnderTest();

    @BeforeEach
    void openBackend() throws Exception {
        backendUnderTest().assumeAvailable();
        leaks = Leaks.snapshot();
        arena = Arena.ofConfined();
        backend = open(backendUnderTest());
    }

    @AfterEach
    void closeBackend() throws Exception {
        if (backend == null) {
            return;
        }
        for (Socket client : clients) {
            client.close();
        }
        backend.close();
        arena.close();
        leaks.assertNoLeaks();
    }

    private IoBackend open(BackendUnderTest under) throws Exception {
        return under.provider().create(under.ioConfig());
    }

    @Test
    void acceptIsMultishot() throws Exception {
        int listener = listen();
        backend.accept(listener, LISTENER);
        for (int i = 0; i < 3; i++) {
            connect(listener);
        }
        List<Completion> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accepted.add(next(LISTENER));
        }
        assertThat(accepted).allSatisfy(c -> {
            assertThat(c.result()).as("accepted handle").isGreaterThanOrEqualTo(0);
            assertThat(c.more()).as("accept stays armed").isTrue();
        });
        for (Completion c : accepted) {
            backend.close(c.result(), CLOSE);
            assertThat(next(CLOSE).result()).isZero();
        }
        closeListener(listener);
    }

    @Test
    void receivesIntoBackendBuffersUntilEndOfStream() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        backend.recv(handle, RECV);
        client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(readText(next(RECV))).isEqualTo("hello");
        client.getOutputStream().write("again".getBytes(StandardCharsets.US_ASCII));
        assertThat(readText(next(RECV))).isEqualTo("again");
        client.shutdownOutput();
        Completion end = next(RECV);
        assertThat(end.result()).as("end of stream").isZero();
        assertThat(end.more()).isFalse();
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void sendCompletesPartiallyWhenTheSocketIsFullAndTheRestFollows() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        int total = 16 << 20;
        MemorySegment data = pattern(total);
        backend.send(handle, data, 0, total, false, WRITE);
        Completion first = next(WRITE);
        assertThat(first.result()).as("a 16 MiB send to a client that does not read is partial")
                .isPositive().isLessThan(total);
        CompletableFuture<byte[]> received = readAsync(client, total);
        long sent = first.result();
        while (sent < total) {
            backend.send(handle, data, sent, (int) (total - sent), false, WRITE);
            Completion more = next(WRITE);
            assertThat(more.result()).isPositive();
            sent += more.result();
        }
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(data.toArray(ValueLayout.JAVA_BYTE));
        assertThat(backend.counters().get(IoCounter.BYTES_SENT)).isEqualTo(total);
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void sendvGathersBuffersInOrder() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        MemorySegment iovecs = arena.allocate(IoVecs.SIZE * 3, 8);
        MemorySegment a = arena.allocateFrom("first,");
        MemorySegment b = arena.allocateFrom("second,");
        MemorySegment c = arena.allocateFrom("third");
        IoVecs.set(iovecs, 0, a, 0, a.byteSize() - 1);
        IoVecs.set(iovecs, 1, b, 0, b.byteSize() - 1);
        IoVecs.set(iovecs, 2, c, 0, c.byteSize() - 1);
        backend.sendv(handle, iovecs, 3, WRITE);
        assertThat(next(WRITE).result()).isEqualTo(18);
        assertThat(new String(client.getInputStream().readNBytes(18), StandardCharsets.US_ASCII))
                .isEqualTo("first,second,third");
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void sendvWaitsForRoomWhenTheSocketIsFullAndNeverReportsEagain() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        int block = 4 << 20;
        MemorySegment data = pattern(block);
        long sent = 0;
        while (true) { // fill the socket: a send to a client that does not read ends up partial
            backend.send(handle, data, 0, block, false, WRITE);
            int result = next(WRITE).result();
            assertThat(result).isPositive();
            sent += result;
            if (result < block) {
                break;
            }
        }
        MemorySegment iovecs = arena.allocate(IoVecs.SIZE * 2, 8);
        IoVecs.set(iovecs, 0, data, 0, block / 2);
        IoVecs.set(iovecs, 1, data, block / 2, block / 2);
        backend.sendv(handle, iovecs, 2, WRITE);
        pollFor(100, false);
        assertThat(completions()).as("a gathering write to a full socket waits for room").isEmpty();
        long total = sent + block;
        CompletableFuture<byte[]> drained = readAsync(client, (int) total);
        Completion gathered = next(WRITE);
        assertThat(gathered.result()).as("never -EAGAIN").isPositive();
        long remaining = block - gathered.result();
        while (remaining > 0) {
            backend.send(handle, data, block - remaining, (int) remaining, false, WRITE);
            int result = next(WRITE).result();
            assertThat(result).isPositive();
            remaining -= result;
        }
        assertThat(drained.get(30, TimeUnit.SECONDS)).hasSize((int) total);
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void aSendWithMoreIsHeldForTheFileThatFollowsAndArrivesWithIt(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        new Random(41).nextBytes(content);
        Path file = Files.write(dir.resolve("body.bin"), content);
        byte[] headBytes = "HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        MemorySegment head = arena.allocate(headBytes.length);
        head.copyFrom(MemorySegment.ofArray(headBytes));
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        backend.send(handle, head, 0, headBytes.length, true, WRITE);
        assertThat(next(WRITE).result()).isEqualTo(headBytes.length);
        if (honoursMore()) {
            // Linux holds a partial segment sent with MSG_MORE for about 200 ms when nothing follows.
            Thread.sleep(20);
            assertThat(client.getInputStream().available()).as("bytes sent with more, held back").isZero();
        }
        CompletableFuture<byte[]> received = readAsync(client, headBytes.length + content.length);
        try (FileHandle fileHandle = backendUnderTest().provider().openFile(file)) {
            sendWholeFile(handle, fileHandle, content.length);
        }
        byte[] expected = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, expected, headBytes.length, content.length);
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void aSendWithMoreAndNothingAfterItStillArrives() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        MemorySegment alone = arena.allocateFrom("alone");
        backend.send(handle, alone, 0, 5, true, WRITE);
        assertThat(next(WRITE).result()).isEqualTo(5);
        assertThat(readAsync(client, 5).get(5, TimeUnit.SECONDS)).as("the kernel sends held bytes on its own")
                .isEqualTo("alone".getBytes(StandardCharsets.US_ASCII));
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void sendfileSendsAFileInPieces(@TempDir Path dir) throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(42).nextBytes(content);
        Path file = Files.write(dir.resolve("data.bin"), content);
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        CompletableFuture<byte[]> received = readAsync(client, content.length);
        try (FileHandle fileHandle = backendUnderTest().provider().openFile(file)) {
            assertThat(fileHandle.size()).isEqualTo(content.length);
            sendWholeFile(handle, fileHandle, content.length);
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(content);
        }
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void sendfileGoesOnFromWhereItStoppedForASlowReader(@TempDir Path dir) throws Exception {
        byte[] content = new byte[8 << 20];
        new Random(43).nextBytes(content);
        Path file = Files.write(dir.resolve("slow.bin"), content);
        int listener = listen();
        Socket client = connect(listener);
        client.setReceiveBufferSize(64 << 10);
        int handle = acceptOne(listener);
        // The reader takes 64 KiB every 5 ms: the socket fills, each send stops short and waits for room.
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                InputStream in = client.getInputStream();
                byte[] piece = new byte[64 << 10];
                sleep(200);
                while (all.size() < content.length) {
                    int n = in.read(piece);
                    if (n < 0) {
                        break;
                    }
                    all.write(piece, 0, n);
                    sleep(5);
                }
                return all.toByteArray();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int partial = 0;
        try (FileHandle fileHandle = backendUnderTest().provider().openFile(file)) {
            long offset = 0;
            while (offset < content.length) {
                int asked = (int) (content.length - offset);
                backend.sendfile(handle, fileHandle, offset, asked, WRITE);
                Completion sent = next(WRITE, 30);
                assertThat(sent.result()).as("bytes sent from offset %d (never -EAGAIN)", offset).isPositive();
                if (sent.result() < asked) {
                    partial++;
                }
                offset += sent.result();
            }
            assertThat(received.get(60, TimeUnit.SECONDS)).isEqualTo(content);
        }
        assertThat(partial).as("sends that stopped short").isPositive();
        assertThat(backend.counters().get(IoCounter.SENDFILE_BYTES)).isEqualTo(content.length);
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void sendfileStopsShortAtTheEndOfTheFileThenReturnsZero(@TempDir Path dir) throws Exception {
        byte[] content = new byte[100_000];
        new Random(44).nextBytes(content);
        Path file = Files.write(dir.resolve("short.bin"), content);
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        CompletableFuture<byte[]> received = readAsync(client, content.length - 1000);
        try (FileHandle fileHandle = backendUnderTest().provider().openFile(file)) {
            long offset = 1000;
            while (true) { // ask for twice what is left: the file ends first
                backend.sendfile(handle, fileHandle, offset, 2 * content.length, WRITE);
                Completion sent = next(WRITE);
                assertThat(sent.result()).as("from offset %d", offset).isGreaterThanOrEqualTo(0);
                if (sent.result() == 0) {
                    break;
                }
                offset += sent.result();
                assertThat(offset).isLessThanOrEqualTo(content.length);
            }
            assertThat(offset).as("everything up to the end of the file, then 0").isEqualTo(content.length);
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOfRange(content, 1000, content.length));
        }
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void closeDuringSendfileEndsItAndLeavesNoDescriptorBehind(@TempDir Path dir) throws Exception {
        byte[] content = new byte[16 << 20];
        new Random(45).nextBytes(content);
        Path file = Files.write(dir.resolve("abandoned.bin"), content);
        int listener = listen();
        try (FileHandle fileHandle = backendUnderTest().provider().openFile(file)) {
            // One complete transfer first, so that whatever a backend keeps for the next one (io_uring's
            // pipes) is in the baseline.
            Socket reader = connect(listener);
            int handle = acceptOne(listener);
            CompletableFuture<byte[]> received = readAsync(reader, 1 << 20);
            for (long offset = 0; offset < 1 << 20; ) {
                backend.sendfile(handle, fileHandle, offset, (int) ((1 << 20) - offset), WRITE);
                Completion sent = next(WRITE);
                assertThat(sent.result()).isPositive();
                offset += sent.result();
            }
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(content, 1 << 20));
            closeHandle(handle);
            closeClient(reader);
            int baseline = Leaks.openFdCount();

            for (int round = 0; round < 5; round++) {
                Socket stalled = connect(listener); // never reads
                int stalledHandle = acceptOne(listener);
                long offset = 0;
                boolean waiting = false;
                while (!waiting) { // send until a sendfile waits for room that will not come
                    backend.sendfile(stalledHandle, fileHandle, offset, (int) (content.length - offset), WRITE);
                    pollFor(200, false);
                    Completion sent = completions().stream().filter(c -> c.tag() == WRITE).findFirst().orElse(null);
                    if (sent == null) {
                        waiting = true;
                    } else {
                        completions().remove(sent);
                        assertThat(sent.result()).isPositive();
                        offset += sent.result();
                        assertThat(offset).as("a client that does not read cannot take the whole file")
                                .isLessThan(content.length);
                    }
                }
                backend.close(stalledHandle, CLOSE);
                Completion write = next(WRITE);
                assertThat(write.more()).isFalse();
                assertThat(write.result()).as("the pending sendfile ends: cancelled, or with what it sent")
                        .satisfiesAnyOf(r -> assertThat(r).isEqualTo(-Errno.ECANCELED), r -> assertThat(r).isPositive());
                assertThat(next(CLOSE).result()).isZero();
                closeClient(stalled);
                pollFor(20);
                assertThat(Leaks.openFdCount()).as("descriptors after abandoned transfer %d", round)
                        .isLessThanOrEqualTo(baseline);
            }
        }
        closeListener(listener);
    }

    @Test
    void timeoutFiresAndCanBeCancelled() throws Exception {
        long start = System.nanoTime();
        backend.timeout(TimeUnit.MILLISECONDS.toNanos(30), 10);
        Completion fired = next(10);
        assertThat(fired.result()).isEqualTo(-Errno.ETIME);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));

        backend.timeout(TimeUnit.SECONDS.toNanos(60), 11);
        poll(0);
        backend.cancelTimeout(11);
        assertThat(next(11).result()).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void cancelledReceiveEndsAndCanBeArmedAgain() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        backend.recv(handle, RECV);
        poll(0);
        backend.cancel(handle, RECV);
        Completion cancelled = next(RECV);
        assertThat(cancelled.more()).isFalse();
        assertThat(cancelled.result()).isEqualTo(-Errno.ECANCELED);
        client.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
        backend.recv(handle, RECV);
        assertThat(readText(next(RECV))).isEqualTo("after");
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void closeEndsPendingOperations() throws Exception {
        int listener = listen();
        connect(listener);
        int handle = acceptOne(listener);
        backend.recv(handle, RECV);
        poll(0);
        backend.close(handle, CLOSE);
        Completion recv = next(RECV);
        Completion close = next(CLOSE);
        assertThat(recv.result()).isEqualTo(-Errno.ECANCELED);
        assertThat(recv.more()).isFalse();
        assertThat(close.result()).isZero();
        closeListener(listener);
    }

    @Test
    void resetByPeerIsReportedAsEconnreset() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        backend.recv(handle, RECV);
        client.setSoLinger(true, 0);
        client.close();
        Completion reset = next(RECV);
        assertThat(reset.more()).isFalse();
        assertThat(reset.result()).isIn(-Errno.ECONNRESET, 0);
        closeHandle(handle);
        closeListener(listener);
    }

    @Test
    void receivingPausesWhileEveryBufferIsHeldAndLosesNothing() throws Exception {
        IoBackend regular = backend;
        try (IoBackend small = open(backendUnderTest().withRecvBuffers(4096, 2))) {
            backend = small;
            int listener = listen();
            Socket client = connect(listener);
            int handle = acceptOne(listener);
            backend.recv(handle, RECV);
            byte[] sent = new byte[64 * 1024];
            new Random(7).nextBytes(sent);
            client.getOutputStream().write(sent);
            pollFor(300, false);
            assertThat(completions()).as("only as many receives as there are buffers").hasSize(2)
                    .allSatisfy(c -> assertThat(c.result()).isPositive());
            assertThat(backend.counters().get(IoCounter.RECV_BUFFERS_EXHAUSTED)).isPositive();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            while (received.size() < sent.length) {
                Completion data = next(RECV);
                int id = Completions.bufferId(data.flags());
                received.write(backend.recvBuffer(id).asSlice(0, data.result()).toArray(ValueLayout.JAVA_BYTE));
                backend.releaseRecvBuffer(id);
            }
            assertThat(received.toByteArray()).isEqualTo(sent);
            closeHandle(handle);
            closeListener(listener);
        } finally {
            backend = regular;
        }
    }

    @Test
    void aReleasedBufferReachesEveryWaitingReceive() throws Exception {
        IoBackend regular = backend;
        try (IoBackend small = open(backendUnderTest().withRecvBuffers(4096, 2))) {
            backend = small;
            int listener = listen();
            Socket a = connect(listener);
            int handleA = acceptOne(listener);
            Socket b = connect(listener);
            int handleB = acceptOne(listener);
            backend.recv(handleA, 20);
            backend.recv(handleB, 21);
            a.getOutputStream().write(new byte[8192]); // exactly both buffers: A drains its socket
            Thread.sleep(100);
            Completion first = next(20);
            Completion second = next(20);
            assertThat(first.result() + second.result()).isEqualTo(8192);
            b.getOutputStream().write(new byte[100]);
            pollFor(100, false);
            assertThat(completions()).as("B waits: both buffers are held").noneMatch(c -> c.tag() == 21);
            backend.releaseRecvBuffer(Completions.bufferId(first.flags()));
            Completion fromB = next(21);
            assertThat(fromB.result()).as("the released buffer reaches B even if A is woken first").isEqualTo(100);
            backend.releaseRecvBuffer(Completions.bufferId(second.flags()));
            backend.releaseRecvBuffer(Completions.bufferId(fromB.flags()));
            closeHandle(handleA);
            closeHandle(handleB);
            closeListener(listener);
        } finally {
            backend = regular;
        }
    }

    @Test
    void wakeupInterruptsAnIndefiniteWait() throws Exception {
        CompletableFuture.runAsync(() -> {
            sleep(100);
            backend.wakeup();
        });
        long start = System.nanoTime();
        while (backend.counters().get(IoCounter.WAKEUPS) == 0) {
            backend.poll(this::record, -1);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void closeIsPromptAfterTimedWaitsThatEndedEarly() throws Exception {
        // Each timed wait is ended early by a wakeup, leaving whatever bounds the wait (a TIMEOUT SQE on
        // io_uring without EXT_ARG) behind; closing must not wait on those forever.
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Void> wakeup = CompletableFuture.runAsync(() -> {
                sleep(20);
                backend.wakeup();
            });
            long wakeups = backend.counters().get(IoCounter.WAKEUPS);
            while (backend.counters().get(IoCounter.WAKEUPS) == wakeups) {
                backend.poll(this::record, TimeUnit.MILLISECONDS.toNanos(300));
            }
            wakeup.get(5, TimeUnit.SECONDS);
        }
        long start = System.nanoTime();
        backend.close();
        assertThat(System.nanoTime() - start).as("close time").isLessThan(TimeUnit.SECONDS.toNanos(2));
        backend = open(backendUnderTest()); // closed again, with the leak check, after the test
    }

    @Test
    void detachedSocketIsServedByAnotherBackend() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        DetachedSocket socket = backend.detach(handle);
        try (IoBackend other = open(backendUnderTest())) {
            int adopted = other.adopt(socket);
            other.recv(adopted, RECV);
            client.getOutputStream().write("moved".getBytes(StandardCharsets.US_ASCII));
            List<Completion> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                other.poll((tag, result, flags) -> seen.add(new Completion(tag, result, flags)), 50_000_000L);
            }
            assertThat(seen).hasSize(1);
            Completion data = seen.getFirst();
            byte[] bytes = other.recvBuffer(Completions.bufferId(data.flags())).asSlice(0, data.result())
                    .toArray(ValueLayout.JAVA_BYTE);
            other.releaseRecvBuffer(Completions.bufferId(data.flags()));
            assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("moved");
            other.close(adopted, CLOSE);
            seen.clear();
            while (seen.stream().noneMatch(c -> c.tag() == CLOSE) && System.nanoTime() < deadline) {
                other.poll((tag, result, flags) -> seen.add(new Completion(tag, result, flags)), 50_000_000L);
            }
            assertThat(seen).anySatisfy(c -> assertThat(c.tag()).isEqualTo(CLOSE));
        }
        closeListener(listener);
    }

    @Test
    void countersFollowTheTraffic() throws Exception {
        int listener = listen();
        Socket client = connect(listener);
        int handle = acceptOne(listener);
        backend.recv(handle, RECV);
        client.getOutputStream().write(new byte[1000]);
        long received = 0;
        while (received < 1000) {
            Completion data = next(RECV);
            received += data.result();
            backend.releaseRecvBuffer(Completions.bufferId(data.flags()));
        }
        assertThat(backend.counters().get(IoCounter.BYTES_RECEIVED)).isEqualTo(1000);
        assertThat(backend.counters().get(IoCounter.SUBMISSIONS)).isPositive();
        assertThat(backend.counters().get(IoCounter.COMPLETIONS)).isPositive();
        assertThat(backend.counters().get(IoCounter.SYSCALLS)).isPositive();
        assertThat(backend.counters().get(IoCounter.POLLS)).isPositive();
        closeHandle(handle);
        closeListener(listener);
    }

    // ---- helpers

    int listen() throws Exception {
        return backend.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ListenOptions(64, false));
    }

    /** Sends the first {@code length} bytes of a file with as many sendfile calls as it takes. */
    private void sendWholeFile(int handle, FileHandle file, long length) throws Exception {
        long offset = 0;
        while (offset < length) {
            backend.sendfile(handle, file, offset, (int) (length - offset), WRITE);
            Completion sent = next(WRITE);
            assertThat(sent.result()).as("sent from offset %d", offset).isPositive();
            offset += sent.result();
        }
    }

    /** Whether the backend passes {@code more} on as {@code MSG_MORE}: the Linux socket backends do. */
    private boolean honoursMore() {
        return Platform.isLinux() && !backend.name().equals("nio");
    }

    Socket connect(int listener) throws Exception {
        Socket client = new Socket();
        client.connect(backend.localAddress(listener), 5000);
        client.setSoTimeout(30_000);
        clients.add(client);
        return client;
    }

    int acceptOne(int listener) throws Exception {
        backend.accept(listener, LISTENER);
        Completion accepted = next(LISTENER);
        assertThat(accepted.result()).isGreaterThanOrEqualTo(0);
        backend.cancel(listener, LISTENER);
        next(c -> c.tag() == LISTENER && !c.more());
        return accepted.result();
    }

    void closeHandle(int handle) throws Exception {
        backend.close(handle, CLOSE);
        assertThat(next(CLOSE).result()).isZero();
        // Receives still armed end with ECANCELED; collect them so buffers are returned.
        pollFor(50);
    }

    void closeClient(Socket client) throws Exception {
        client.close();
        clients.remove(client);
    }

    void closeListener(int listener) throws Exception {
        backend.close(listener, CLOSE);
        next(CLOSE);
        pollFor(50);
    }

    String readText(Completion data) {
        assertThat(data.result()).isPositive();
        assertThat(Completions.hasBuffer(data.flags())).isTrue();
        int id = Completions.bufferId(data.flags());
        String text = new String(backend.recvBuffer(id).asSlice(0, data.result()).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
        backend.releaseRecvBuffer(id);
        return text;
    }

    MemorySegment pattern(int size) {
        MemorySegment data = arena.allocate(size, 64);
        for (int i = 0; i < size; i++) {
            data.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        return data;
    }

    static CompletableFuture<byte[]> readAsync(Socket client, int length) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = client.getInputStream();
                return in.readNBytes(length);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    Completion next(long tag) throws Exception {
        return next(c -> c.tag() == tag);
    }

    Completion next(long tag, int seconds) throws Exception {
        return next(c -> c.tag() == tag, seconds);
    }

    Completion next(java.util.function.Predicate<Completion> wanted) throws Exception {
        return next(wanted, 10);
    }

    Completion next(java.util.function.Predicate<Completion> wanted, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            for (Iterator<Completion> it = completions.iterator(); it.hasNext(); ) {
                Completion c = it.next();
                if (wanted.test(c)) {
                    it.remove();
                    return c;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no matching completion within " + seconds + " s; saw " + completions);
            }
            poll(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    void pollFor(long millis) throws Exception {
        pollFor(millis, true);
    }

    /** Polls for a while; with {@code discard}, drops what arrived and returns its buffers. */
    void pollFor(long millis, boolean discard) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            poll(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (!discard) {
            return;
        }
        for (Completion c : completions) {
            if (Completions.hasBuffer(c.flags())) {
                backend.releaseRecvBuffer(Completions.bufferId(c.flags()));
            }
        }
        completions.clear();
    }

    void poll(long timeoutNanos) throws Exception {
        backend.poll(this::record, timeoutNanos);
    }

    List<Completion> completions() {
        return completions;
    }

    private void record(long tag, int result, int flags) {
        completions.add(new Completion(tag, result, flags));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

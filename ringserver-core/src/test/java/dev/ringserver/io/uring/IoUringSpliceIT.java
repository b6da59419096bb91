package dev.ringserver.io.uring;

import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.IoCounter;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.io.NativeFileHandle;
import dev.ringserver.sys.Errno;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The io_uring backend's spliced file transfers (file to pipe to socket), looked at from inside: which
 * path a transfer takes, that pipes go back to the pool or are closed, that a socket is closed only
 * after its transfer ended, and the fallback to {@code sendfile(2)}. The {@code BackendContract}
 * checks the behaviour every backend shares.
 */
class IoUringSpliceIT {

    private static final long ACCEPT = 1;
    private static final long WRITE = 3;
    private static final long CLOSE = 4;

    record Completion(long tag, int result, int flags) {
    }

    @TempDir
    Path dir;

    private final List<Completion> completions = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private Leaks leaks;
    private IoUringBackend backend;
    private int listener = -1;
    private byte[] content;
    private FileHandle file;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(IoUringProvider.INSTANCE.availability().available()
                && IoUringProvider.INSTANCE.probedFeatures().contains("splice"), "io_uring with IORING_OP_SPLICE is unavailable");
        leaks = Leaks.snapshot();
        content = new byte[16 << 20];
        new Random(46).nextBytes(content);
        file = NativeFileHandle.open(Files.write(dir.resolve("data.bin"), content));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (leaks == null) {
            return;
        }
        for (Socket client : clients) {
            client.close();
        }
        if (backend != null) {
            if (listener >= 0) {
                backend.close(listener, CLOSE);
                next(CLOSE);
            }
            backend.close();
        }
        file.close();
        leaks.assertNoLeaks();
    }

    @Test
    void aTransferGoesThroughAPipeThatReturnsToThePool() throws Exception {
        open(Set.of(), 4);
        assertThat(backend.features()).contains("splice");
        Socket client = connect();
        int handle = accept();
        CompletableFuture<byte[]> received = read(client, 3 << 20);
        long offset = 0;
        while (offset < 3 << 20) {
            backend.sendfile(handle, file, offset, (int) ((3 << 20) - offset), WRITE);
            Completion sent = next(WRITE);
            assertThat(sent.result()).as("one chunk at most: the pipe's size").isPositive().isLessThanOrEqualTo(1 << 20);
            offset += sent.result();
            assertThat(backend.splicePipes().busy()).isZero();
        }
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(content, 3 << 20));
        assertThat(backend.splicePipes().open()).as("one pipe, reused for every chunk").isEqualTo(1);
        assertThat(backend.counters().get(IoCounter.SENDFILE_BYTES)).isEqualTo(3 << 20);
        close(handle);
    }

    @Test
    void anUnalignedOffsetStillFillsThePipeInOneSplice() throws Exception {
        open(Set.of(), 4);
        Socket client = connect();
        int handle = accept();
        CompletableFuture<byte[]> received = read(client, 2 << 20);
        long offset = 100;
        while (offset < 100 + (2 << 20)) {
            backend.sendfile(handle, file, offset, (int) (100 + (2 << 20) - offset), WRITE);
            Completion sent = next(WRITE);
            assertThat(sent.result()).isPositive();
            offset += sent.result();
        }
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOfRange(content, 100, 100 + (2 << 20)));
        close(handle);
    }

    @Test
    void closingASocketMidTransferClosesItAfterTheTransferAndDropsThePipe() throws Exception {
        open(Set.of(), 4);
        connect(); // never reads
        int handle = accept();
        stall(handle);
        assertThat(backend.splicePipes().busy()).isEqualTo(1);
        backend.close(handle, CLOSE);
        List<Long> order = new ArrayList<>();
        while (order.size() < 2) {
            Completion c = next(x -> x.tag() == WRITE || x.tag() == CLOSE);
            order.add(c.tag());
            if (c.tag() == CLOSE) {
                assertThat(c.result()).isZero();
            } else {
                assertThat(c.result()).satisfiesAnyOf(r -> assertThat(r).isEqualTo(-Errno.ECANCELED),
                        r -> assertThat(r).isPositive());
            }
        }
        assertThat(order).as("the socket closes only after its splice ended").containsExactly(WRITE, CLOSE);
        assertThat(backend.splicePipes().busy()).isZero();
        assertThat(backend.splicePipes().open()).as("the pipe held bytes for the gone socket: closed").isZero();
    }

    @Test
    void cancellingAStalledTransferEndsItAndDropsThePipe() throws Exception {
        open(Set.of(), 4);
        connect();
        int handle = accept();
        stall(handle);
        backend.cancel(handle, WRITE);
        Completion cancelled = next(WRITE);
        assertThat(cancelled.result()).satisfiesAnyOf(r -> assertThat(r).isEqualTo(-Errno.ECANCELED),
                r -> assertThat(r).isPositive());
        assertThat(backend.splicePipes().busy()).isZero();
        assertThat(backend.splicePipes().open()).isZero();
        close(handle);
    }

    @Test
    void whenEveryPipeIsBusyTheFileGoesWithSendfile() throws Exception {
        open(Set.of(), 1);
        Socket first = connect();
        int firstHandle = accept();
        Socket second = connect();
        int secondHandle = accept();
        long firstOffset = stall(firstHandle);
        assertThat(backend.splicePipes().busy()).isEqualTo(1);
        long bytesBefore = backend.counters().get(IoCounter.SENDFILE_BYTES);
        backend.sendfile(secondHandle, file, 0, 100_000, WRITE + 10);
        Completion viaSendfile = next(WRITE + 10);
        assertThat(viaSendfile.result()).isEqualTo(100_000);
        assertThat(backend.splicePipes().open()).as("no second pipe").isEqualTo(1);
        assertThat(backend.counters().get(IoCounter.SENDFILE_BYTES) - bytesBefore).isEqualTo(100_000);
        assertThat(read(second, 100_000).get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(content, 100_000));
        // The stalled splice goes on once its reader reads.
        CompletableFuture<byte[]> rest = read(first, content.length);
        long offset = firstOffset;
        offset += next(WRITE).result();
        while (offset < content.length) {
            backend.sendfile(firstHandle, file, offset, (int) (content.length - offset), WRITE);
            Completion sent = next(WRITE);
            assertThat(sent.result()).isPositive();
            offset += sent.result();
        }
        assertThat(rest.get(30, TimeUnit.SECONDS)).isEqualTo(content);
        close(firstHandle);
        close(secondHandle);
    }

    @Test
    void byDefaultAndWithSpliceTurnedOffFilesGoWithSendfile() throws Exception {
        backend = new IoUringBackend(IoConfig.DEFAULT, IoUringProvider.INSTANCE.probedFeatures());
        assertThat(backend.features()).doesNotContain("splice");
        assertThat(backend.splicePipes()).as("by default").isNull();
        backend.close();
        open(Set.of("splice"), 4);
        assertThat(backend.features()).doesNotContain("splice");
        assertThat(backend.splicePipes()).as("sync_sendfile and splice off").isNull();
        Socket client = connect();
        int handle = accept();
        CompletableFuture<byte[]> received = read(client, 1 << 20);
        long offset = 0;
        while (offset < 1 << 20) {
            backend.sendfile(handle, file, offset, (int) ((1 << 20) - offset), WRITE);
            offset += next(WRITE).result();
        }
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(content, 1 << 20));
        close(handle);
    }

    // ---- helpers

    /** Opens a backend that splices files (sync_sendfile off) unless {@code disabled} turns splice off. */
    private void open(Set<String> disabled, int pipes) throws Exception {
        Set<String> off = new java.util.HashSet<>(disabled);
        off.add(IoUringFeatures.SYNC_SENDFILE);
        backend = new IoUringBackend(IoConfig.DEFAULT.withDisabledFeatures(off),
                IoUringProvider.INSTANCE.probedFeatures(), pipes);
        listener = backend.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ListenOptions(16, false));
    }

    private Socket connect() throws Exception {
        Socket client = new Socket();
        client.connect(backend.localAddress(listener), 5000);
        client.setSoTimeout(30_000);
        clients.add(client);
        return client;
    }

    private int accept() throws Exception {
        backend.accept(listener, ACCEPT);
        Completion accepted = next(ACCEPT);
        assertThat(accepted.result()).isGreaterThanOrEqualTo(0);
        backend.cancel(listener, ACCEPT);
        next(c -> c.tag() == ACCEPT && (c.flags() & dev.ringserver.io.Completions.MORE) == 0);
        return accepted.result();
    }

    /** Sends the file to a client that does not read until a sendfile stays pending; returns the offset. */
    private long stall(int handle) throws Exception {
        long offset = 0;
        while (true) {
            backend.sendfile(handle, file, offset, (int) (content.length - offset), WRITE);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            Completion sent = null;
            while (sent == null && System.nanoTime() < deadline) {
                poll(5);
                sent = take(c -> c.tag() == WRITE);
            }
            if (sent == null) {
                return offset;
            }
            assertThat(sent.result()).isPositive();
            offset += sent.result();
            assertThat(offset).isLessThan(content.length);
        }
    }

    private void close(int handle) throws Exception {
        backend.close(handle, CLOSE);
        assertThat(next(CLOSE).result()).isZero();
    }

    private static CompletableFuture<byte[]> read(Socket client, int length) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = client.getInputStream();
                return in.readNBytes(length);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Completion next(long tag) throws Exception {
        return next(c -> c.tag() == tag);
    }

    private Completion next(java.util.function.Predicate<Completion> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Completion c = take(wanted);
            if (c != null) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                fail("no matching completion within 20 s; saw " + completions);
            }
            poll(20);
        }
    }

    private Completion take(java.util.function.Predicate<Completion> wanted) {
        for (Iterator<Completion> it = completions.iterator(); it.hasNext(); ) {
            Completion c = it.next();
            if (wanted.test(c)) {
                it.remove();
                return c;
            }
        }
        return null;
    }

    private void poll(long millis) throws Exception {
        backend.poll((tag, result, flags) -> completions.add(new Completion(tag, result, flags)),
                TimeUnit.MILLISECONDS.toNanos(millis));
    }
}

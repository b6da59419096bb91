package dev.ringserver.io.kqueue;

import dev.ringserver.io.Availability;
import dev.ringserver.io.Completions;
import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.io.readiness.Poller;
import dev.ringserver.io.readiness.ReadinessBackend;
import dev.ringserver.io.readiness.SocketOps;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.linux.LinuxErrno;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kqueue poller on this machine's kqueue (the kernel's on macOS, libkqueue's on Linux) with real
 * loopback sockets: edges, hang-ups, wake-ups, timeouts, and what happens to registrations that fail,
 * overflow the change list or belong to handles that leave before they were applied. Skipped, with the
 * probe's reason, where kqueue cannot run.
 *
 * <p>Registrations that fail are provoked with a descriptor number that is not open, on a poller that
 * registers both filters on the handle itself (a duplicate for {@code EVFILT_WRITE} could not even be
 * made). The kernel reports {@code EBADF}; libkqueue 2.3 reports every failed registration as
 * {@code EFAULT}.
 */
class KqueuePollerTest {

    /** Not open in this process: every registration of it fails. */
    private static final int NOT_OPEN = 1_000_000;
    /** What libkqueue 2.3 reports for any registration that fails (Linux's EFAULT). */
    private static final int LIBKQUEUE_EFAULT = LinuxErrno.EFAULT;

    private final List<Socket> clients = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();
    private Leaks leaks;
    private Arena arena;
    private KqueuePoller poller;
    private SocketOps ops;
    private int listener;

    record Event(int handle, int events, int lostErrno) {
    }

    @BeforeEach
    void open() throws IOException {
        Availability availability = KqueueProvider.INSTANCE.availability();
        assumeTrue(availability.available(), () -> "kqueue is unavailable here: " + availability.reason());
        leaks = Leaks.snapshot();
        arena = Arena.ofConfined();
        poller = KqueueProvider.newPoller(arena, 8,
                availability.features().contains(KqueueProvider.WRITE_ON_DUPLICATE));
        ops = KqueueProvider.newSocketOps(arena);
        listener = ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ListenOptions(16, false));
        fds.add(listener);
    }

    @AfterEach
    void close() throws Exception {
        if (arena == null) {
            return;
        }
        for (Socket client : clients) {
            client.close();
        }
        for (int fd : fds) {
            poller.deregister(fd, true); // as the backend does before closing (and closes duplicates)
            ops.close(fd);
        }
        poller.close();
        arena.close();
        leaks.assertNoLeaks();
    }

    @Test
    void reportsEachChangeOfReadinessOnce() throws Exception {
        Socket client = connect();
        int server = accept();
        poller.register(server);

        assertThat(poll(0)).containsExactly(new Event(server, Poller.WRITABLE, 0));
        assertThat(poll(0)).as("edge-triggered: no news, no event").isEmpty();

        client.getOutputStream().write(1);
        assertThat(reads(poll(1000))).containsExactly(new Event(server, Poller.READABLE, 0));
        assertThat(poll(0)).as("unread data is not reported again").isEmpty();

        client.getOutputStream().write(2);
        assertThat(reads(poll(1000))).containsExactly(new Event(server, Poller.READABLE, 0));
    }

    /** The read events: a kernel may also report the write side again when an ACK arrives. */
    private static List<Event> reads(List<Event> events) {
        return events.stream().filter(event -> (event.events() & Poller.READABLE) != 0).toList();
    }

    @Test
    void reportsThePeersEndOfStreamAsHangup() throws Exception {
        Socket client = connect();
        int server = accept();
        poller.register(server);
        poll(0);

        client.shutdownOutput();

        assertThat(poll(1000)).extracting(Event::events)
                .anySatisfy(events -> assertThat(events & (Poller.READABLE | Poller.HANGUP))
                        .isEqualTo(Poller.READABLE | Poller.HANGUP));
    }

    @Test
    void aWakeupFromAnotherThreadEndsAnIndefiniteWait() throws Exception {
        Thread waker = Thread.ofPlatform().start(() -> {
            sleep(100);
            poller.wakeup();
        });
        long start = System.nanoTime();

        assertThat(poll(-1)).isEmpty();

        assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(poller.wakeupsObserved()).isEqualTo(1);
        waker.join();
    }

    @Test
    void aWaitWithATimeoutReturnsWhenItExpires() throws Exception {
        long start = System.nanoTime();

        assertThat(poll(TimeUnit.MILLISECONDS.toNanos(80))).isEmpty();

        assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(70), TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aRegistrationThatFailsWhenAppliedIsReportedLostOnce() throws Exception {
        KqueuePoller plain = plainPoller();
        try {
            plain.register(NOT_OPEN);

            List<Event> events = poll(plain, 0);

            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.handle()).isEqualTo(NOT_OPEN);
                assertThat(event.lostErrno()).isIn(Errno.EBADF, LIBKQUEUE_EFAULT);
            });
            assertThat(poll(plain, 0)).as("reported once").isEmpty();
        } finally {
            plain.close();
        }
    }

    @Test
    void aHandleThatLeavesBeforeTheWaitIsNeverRegistered() throws Exception {
        KqueuePoller plain = plainPoller();
        try {
            plain.register(NOT_OPEN);
            plain.deregister(NOT_OPEN, true);

            assertThat(poll(plain, 0)).isEmpty();
        } finally {
            plain.close();
        }
    }

    @Test
    void registrationsBeyondTheChangeListAreAppliedAtOnceAndFailuresReportedLater() throws Exception {
        KqueuePoller plain = plainPoller();
        try {
            for (int i = 0; i < 40; i++) { // 80 changes: more than the list of 64 holds
                plain.register(NOT_OPEN + i);
            }
            plain.deregister(NOT_OPEN + 39, true); // left before its failure was reported

            List<Event> events = poll(plain, 0);

            assertThat(events).extracting(Event::handle)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 39).mapToObj(i -> NOT_OPEN + i).toList());
            assertThat(events).extracting(Event::lostErrno).doesNotContain(0);
            plain.wakeup();
            assertThat(poll(plain, 0)).isEmpty();
            assertThat(plain.wakeupsObserved()).as("the kqueue still works").isEqualTo(1);
        } finally {
            plain.close();
        }
    }

    @Test
    void aHandleMovingElsewhereIsNoLongerReported() throws Exception {
        Socket client = connect();
        int server = accept();
        poller.register(server);
        poll(0);

        poller.deregister(server, false);
        client.getOutputStream().write(1);

        assertThat(poll(TimeUnit.MILLISECONDS.toNanos(100))).isEmpty();
    }

    @Test
    void aDescriptorNumberReusedAfterCloseRegistersAfresh() throws Exception {
        connect();
        int first = accept();
        poller.register(first);
        poll(0);
        poller.deregister(first, true);
        ops.close(first);
        fds.remove((Integer) first);

        Socket second = connect();
        int reused = accept();
        poller.register(reused);
        second.getOutputStream().write(1);

        List<Event> events = poll(1000);
        assertThat(events).extracting(Event::lostErrno).containsOnly(0);
        assertThat(events).extracting(Event::events)
                .anySatisfy(mask -> assertThat(mask & Poller.READABLE).isNotZero());
    }

    @Test
    void theBackendFailsTheOperationsOfAHandleItsPollerLost() throws Exception {
        // NATIVE: a confined arena of the test thread that the backend owns and closes.
        Arena backendArena = Arena.ofConfined();
        IoBackend backend = new ReadinessBackend("kqueue", "", KqueueProvider.newPoller(backendArena, 8, false),
                KqueueProvider.newSocketOps(backendArena), backendArena, IoConfig.DEFAULT);
        try {
            int handle = backend.adopt(new DetachedSocket.Native(NOT_OPEN));
            List<long[]> completions = new ArrayList<>();
            backend.recv(handle, 7);
            for (int i = 0; i < 10 && completions.isEmpty(); i++) {
                backend.poll((tag, result, flags) -> completions.add(new long[] {tag, result, flags}), 0);
            }
            assertThat(completions).hasSize(1);
            assertThat(completions.getFirst()[0]).isEqualTo(7);
            long failure = completions.getFirst()[1];
            assertThat(-failure).isIn((long) Errno.EBADF, (long) LIBKQUEUE_EFAULT);
            assertThat(Completions.hasMore((int) completions.getFirst()[2])).isFalse();

            backend.send(handle, arena.allocate(1), 0, 1, false, 8);
            completions.clear();
            backend.poll((tag, result, flags) -> completions.add(new long[] {tag, result, flags}), 0);
            assertThat(completions).as("a later operation fails at once").hasSize(1);
            assertThat(completions.getFirst()[1]).isEqualTo(failure);
            backend.detach(handle); // it was never open: nothing to close
        } finally {
            backend.close();
        }
    }

    /** A poller that registers both filters on the handle itself, whatever the probe found. */
    private KqueuePoller plainPoller() throws IOException {
        return KqueueProvider.newPoller(arena, 8, false);
    }

    private List<Event> poll(long timeoutNanos) throws IOException {
        return poll(poller, timeoutNanos);
    }

    private static List<Event> poll(KqueuePoller target, long timeoutNanos) throws IOException {
        List<Event> events = new ArrayList<>();
        target.wait(timeoutNanos, new Poller.ReadyHandler() {
            @Override
            public void ready(int handle, int mask) {
                events.add(new Event(handle, mask, 0));
            }

            @Override
            public void lost(int handle, int errno) {
                events.add(new Event(handle, 0, errno));
            }
        });
        return events;
    }

    private Socket connect() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), ops.localAddress(listener).getPort());
        clients.add(client);
        return client;
    }

    private int accept() throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            int fd = ops.accept(listener);
            if (fd >= 0) {
                fds.add(fd);
                return fd;
            }
            assertThat(fd).isEqualTo(-Errno.EAGAIN);
            Thread.sleep(10);
        }
        throw new AssertionError("no connection to accept");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

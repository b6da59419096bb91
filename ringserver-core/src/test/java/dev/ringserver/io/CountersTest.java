package dev.ringserver.io;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CountersTest {

    @Test
    void startsAtZero() {
        Counters<IoCounter> counters = new Counters<>(IoCounter.class);

        for (IoCounter counter : IoCounter.values()) {
            assertThat(counters.get(counter)).isZero();
        }
    }

    @Test
    void incrementAddsOne() {
        Counters<IoCounter> counters = new Counters<>(IoCounter.class);

        counters.increment(IoCounter.SYSCALLS);
        counters.increment(IoCounter.SYSCALLS);

        assertThat(counters.get(IoCounter.SYSCALLS)).isEqualTo(2);
        assertThat(counters.get(IoCounter.POLLS)).isZero();
    }

    @Test
    void addAcceptsLargeAndNegativeDeltas() {
        Counters<IoCounter> counters = new Counters<>(IoCounter.class);

        counters.add(IoCounter.BYTES_SENT, 5_000_000_000L);
        counters.add(IoCounter.BYTES_SENT, -1_000L);

        assertThat(counters.get(IoCounter.BYTES_SENT)).isEqualTo(4_999_999_000L);
    }

    @Test
    void snapshotHasEveryCounterInEnumOrder() {
        Counters<IoCounter> counters = new Counters<>(IoCounter.class);
        counters.add(IoCounter.COMPLETIONS, 3);
        counters.increment(IoCounter.RECV_BUFFERS_EXHAUSTED);

        Map<IoCounter, Long> snapshot = counters.snapshot();

        assertThat(snapshot.keySet()).containsExactly(IoCounter.values());
        assertThat(snapshot).containsEntry(IoCounter.COMPLETIONS, 3L)
                .containsEntry(IoCounter.RECV_BUFFERS_EXHAUSTED, 1L)
                .containsEntry(IoCounter.SUBMISSIONS, 0L);
    }

    @Test
    void snapshotDoesNotChangeAfterwards() {
        Counters<IoCounter> counters = new Counters<>(IoCounter.class);
        counters.increment(IoCounter.WAKEUPS);
        Map<IoCounter, Long> snapshot = counters.snapshot();

        counters.increment(IoCounter.WAKEUPS);

        assertThat(snapshot).containsEntry(IoCounter.WAKEUPS, 1L);
        assertThat(counters.get(IoCounter.WAKEUPS)).isEqualTo(2);
    }

    @Test
    void readerThreadEventuallySeesWriterThreadsValues() throws InterruptedException {
        Counters<IoCounter> counters = new Counters<>(IoCounter.class);
        long target = 1_000_000;
        AtomicLong lastSeen = new AtomicLong(-1);
        AtomicBoolean wentBackwards = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long previous = 0;
            long value;
            do {
                value = counters.get(IoCounter.SUBMISSIONS);
                if (value < previous) {
                    wentBackwards.set(true);
                }
                previous = value;
            } while (value != target && System.nanoTime() < deadline);
            lastSeen.set(value);
        });
        Thread writer = Thread.ofPlatform().start(() -> {
            for (long i = 0; i < target; i++) {
                counters.increment(IoCounter.SUBMISSIONS);
            }
        });

        writer.join();
        reader.join();

        assertThat(lastSeen.get()).isEqualTo(target);
        assertThat(wentBackwards).isFalse();
    }
}

package dev.ringserver.io.readiness;

import dev.ringserver.io.PendingCompletions;
import dev.ringserver.sys.Errno;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimerHeapTest {

    private record Completion(long tag, int result, int flags) {
    }

    @Test
    void expiresInDeadlineOrderWithEtime() {
        TimerHeap heap = new TimerHeap(16);
        for (long deadline : new long[] {50, 10, 40, 20, 30}) {
            heap.add(deadline, deadline + 1000);
        }
        PendingCompletions completions = new PendingCompletions();

        heap.expire(100, completions);

        assertThat(drain(completions)).containsExactly(
                new Completion(1010, -Errno.ETIME, 0),
                new Completion(1020, -Errno.ETIME, 0),
                new Completion(1030, -Errno.ETIME, 0),
                new Completion(1040, -Errno.ETIME, 0),
                new Completion(1050, -Errno.ETIME, 0));
        assertThat(heap.size()).isZero();
    }

    @Test
    void expiresOnlyDeadlinesAtOrBeforeNow() {
        TimerHeap heap = new TimerHeap(16);
        heap.add(30, 3);
        heap.add(10, 1);
        heap.add(20, 2);
        PendingCompletions completions = new PendingCompletions();

        heap.expire(20, completions);

        assertThat(drain(completions)).extracting(Completion::tag).containsExactly(1L, 2L);
        assertThat(heap.size()).isEqualTo(1);
    }

    @Test
    void expireBeforeFirstDeadlineDoesNothing() {
        TimerHeap heap = new TimerHeap(16);
        heap.add(100, 1);
        PendingCompletions completions = new PendingCompletions();

        heap.expire(99, completions);

        assertThat(completions.isEmpty()).isTrue();
        assertThat(heap.size()).isEqualTo(1);
    }

    @Test
    void removesByTag() {
        TimerHeap heap = new TimerHeap(16);
        heap.add(10, 1);
        heap.add(20, 2);
        heap.add(30, 3);
        PendingCompletions completions = new PendingCompletions();

        assertThat(heap.remove(2)).isTrue();
        assertThat(heap.size()).isEqualTo(2);
        heap.expire(100, completions);

        assertThat(drain(completions)).extracting(Completion::tag).containsExactly(1L, 3L);
    }

    @Test
    void removeOfUnknownTagReturnsFalse() {
        TimerHeap heap = new TimerHeap(16);
        heap.add(10, 1);

        assertThat(heap.remove(99)).isFalse();
        assertThat(heap.size()).isEqualTo(1);
    }

    @Test
    void removeOfFiredTimeoutReturnsFalse() {
        TimerHeap heap = new TimerHeap(16);
        heap.add(10, 1);
        heap.expire(10, new PendingCompletions());

        assertThat(heap.remove(1)).isFalse();
    }

    @Test
    void rejectsTimeoutsBeyondCapacity() {
        TimerHeap heap = new TimerHeap(2);
        heap.add(10, 1);
        heap.add(20, 2);

        assertThatThrownBy(() -> heap.add(30, 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("limit 2");
        assertThat(heap.size()).isEqualTo(2);
    }

    @Test
    void acceptsNewTimeoutsAfterRemovalAtCapacity() {
        TimerHeap heap = new TimerHeap(2);
        heap.add(10, 1);
        heap.add(20, 2);
        heap.remove(1);

        heap.add(5, 3);

        PendingCompletions completions = new PendingCompletions();
        heap.expire(100, completions);
        assertThat(drain(completions)).extracting(Completion::tag).containsExactly(3L, 2L);
    }

    @Test
    void waitNanosWithoutTimersIsTheTimeout() {
        TimerHeap heap = new TimerHeap(4);

        assertThat(heap.waitNanos(5_000, 123)).isEqualTo(5_000);
        assertThat(heap.waitNanos(0, 123)).isZero();
        assertThat(heap.waitNanos(-1, 123)).isEqualTo(-1);
    }

    @Test
    void waitNanosIsShortenedToFirstDeadline() {
        TimerHeap heap = new TimerHeap(4);
        heap.add(1_000, 1);
        heap.add(3_000, 2);

        assertThat(heap.waitNanos(5_000, 200)).isEqualTo(800);
        assertThat(heap.waitNanos(300, 200)).isEqualTo(300);
    }

    @Test
    void waitNanosTreatsNegativeTimeoutAsUnbounded() {
        TimerHeap heap = new TimerHeap(4);
        heap.add(1_000, 1);

        assertThat(heap.waitNanos(-1, 200)).isEqualTo(800);
        assertThat(heap.waitNanos(Long.MIN_VALUE, 200)).isEqualTo(800);
    }

    @Test
    void waitNanosIsZeroWhenFirstDeadlinePassed() {
        TimerHeap heap = new TimerHeap(4);
        heap.add(1_000, 1);

        assertThat(heap.waitNanos(-1, 5_000)).isZero();
        assertThat(heap.waitNanos(10, 5_000)).isZero();
    }

    @Test
    void ordersDeadlinesThatWrapPastLongMaxValue() {
        TimerHeap heap = new TimerHeap(8);
        long base = Long.MAX_VALUE - 5;
        heap.add(base + 10, 3);
        heap.add(base, 1);
        heap.add(base + 3, 2);
        PendingCompletions completions = new PendingCompletions();

        heap.expire(base + 4, completions);

        assertThat(drain(completions)).extracting(Completion::tag).containsExactly(1L, 2L);
        assertThat(heap.waitNanos(-1, base + 4)).isEqualTo(6);
        heap.expire(base + 10, completions);
        assertThat(drain(completions)).extracting(Completion::tag).containsExactly(3L);
    }

    @Test
    void waitNanosAcrossWrapUsesTheDistance() {
        TimerHeap heap = new TimerHeap(4);
        long now = Long.MAX_VALUE - 100;
        heap.add(now + 300, 1);

        assertThat(heap.waitNanos(-1, now)).isEqualTo(300);
        assertThat(heap.waitNanos(1_000, now)).isEqualTo(300);
    }

    @Test
    void keepsHeapOrderUnderRandomAddsAndRemoves() {
        Random random = new Random(42);
        TimerHeap heap = new TimerHeap(512);
        List<long[]> expected = new ArrayList<>();
        for (long tag = 0; tag < 400; tag++) {
            long deadline = random.nextInt(1_000_000);
            heap.add(deadline, tag);
            expected.add(new long[] {deadline, tag});
        }
        for (int i = 0; i < 150; i++) {
            long[] victim = expected.remove(random.nextInt(expected.size()));
            assertThat(heap.remove(victim[1])).isTrue();
        }
        PendingCompletions completions = new PendingCompletions();

        heap.expire(1_000_000, completions);

        List<Completion> delivered = drain(completions);
        assertThat(delivered).hasSize(expected.size());
        List<Long> deadlines = delivered.stream()
                .map(c -> expected.stream().filter(e -> e[1] == c.tag()).findFirst().orElseThrow()[0])
                .toList();
        assertThat(deadlines).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(heap.size()).isZero();
    }

    private static List<Completion> drain(PendingCompletions completions) {
        List<Completion> delivered = new ArrayList<>();
        while (!completions.isEmpty()) {
            completions.deliverOne((tag, result, flags) -> delivered.add(new Completion(tag, result, flags)));
        }
        return delivered;
    }
}

package dev.ringserver.io;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PendingCompletionsTest {

    private record Completion(long tag, int result, int flags) {
    }

    @Test
    void startsEmpty() {
        PendingCompletions pending = new PendingCompletions();

        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.size()).isZero();
    }

    @Test
    void deliversTagResultAndFlagsTogether() {
        PendingCompletions pending = new PendingCompletions();
        List<Completion> delivered = new ArrayList<>();
        pending.add(7L, -104, 3);

        assertThat(pending.isEmpty()).isFalse();
        assertThat(pending.size()).isEqualTo(1);
        pending.deliverOne((tag, result, flags) -> delivered.add(new Completion(tag, result, flags)));

        assertThat(delivered).containsExactly(new Completion(7L, -104, 3));
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void preservesFifoOrderAcrossGrowth() {
        PendingCompletions pending = new PendingCompletions();
        for (long tag = 0; tag < 1000; tag++) {
            pending.add(tag, result(tag), flags(tag));
        }
        assertThat(pending.size()).isEqualTo(1000);

        List<Completion> delivered = drain(pending, null);

        assertThat(delivered).hasSize(1000);
        assertInSequence(delivered);
    }

    @Test
    void preservesFifoOrderWhenGrowingWithWrappedHead() {
        PendingCompletions pending = new PendingCompletions();
        List<Completion> delivered = new ArrayList<>();
        long next = 0;
        for (; next < 200; next++) {
            pending.add(next, result(next), flags(next));
        }
        for (int i = 0; i < 150; i++) {
            pending.deliverOne((tag, result, flags) -> delivered.add(new Completion(tag, result, flags)));
        }
        for (; next < 1000; next++) {
            pending.add(next, result(next), flags(next));
        }

        delivered.addAll(drain(pending, null));

        assertThat(delivered).hasSize(1000);
        assertInSequence(delivered);
    }

    @Test
    void preservesFifoOrderWhenHandlerAddsDuringDelivery() {
        PendingCompletions pending = new PendingCompletions();
        long[] next = {0};
        for (; next[0] < 100; next[0]++) {
            pending.add(next[0], result(next[0]), flags(next[0]));
        }

        List<Completion> delivered = drain(pending, () -> {
            int adds = next[0] % 3 == 0 ? 2 : 1;
            for (int i = 0; i < adds && next[0] < 5000; i++, next[0]++) {
                pending.add(next[0], result(next[0]), flags(next[0]));
            }
        });

        assertThat(next[0]).isEqualTo(5000);
        assertThat(delivered).hasSize(5000);
        assertInSequence(delivered);
    }

    private static List<Completion> drain(PendingCompletions pending, Runnable onEach) {
        List<Completion> delivered = new ArrayList<>();
        while (!pending.isEmpty()) {
            pending.deliverOne((tag, result, flags) -> {
                delivered.add(new Completion(tag, result, flags));
                if (onEach != null) {
                    onEach.run();
                }
            });
        }
        return delivered;
    }

    private static void assertInSequence(List<Completion> delivered) {
        for (int i = 0; i < delivered.size(); i++) {
            assertThat(delivered.get(i)).isEqualTo(new Completion(i, result(i), flags(i)));
        }
    }

    private static int result(long tag) {
        return (int) (tag * 3 - 500);
    }

    private static int flags(long tag) {
        return (int) (tag ^ 0x5A5A);
    }
}

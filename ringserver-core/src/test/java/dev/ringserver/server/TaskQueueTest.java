package dev.ringserver.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class TaskQueueTest {

    @Test
    void roundsCapacityUpToPowerOfTwo() {
        assertThat(new TaskQueue(3).capacity()).isEqualTo(4);
        assertThat(new TaskQueue(5).capacity()).isEqualTo(8);
        assertThat(new TaskQueue(1000).capacity()).isEqualTo(1024);
        assertThat(new TaskQueue(65_537).capacity()).isEqualTo(131_072);
    }

    @Test
    void keepsCapacityThatIsAlreadyPowerOfTwo() {
        assertThat(new TaskQueue(4).capacity()).isEqualTo(4);
        assertThat(new TaskQueue(8).capacity()).isEqualTo(8);
        assertThat(new TaskQueue(65_536).capacity()).isEqualTo(65_536);
    }

    @Test
    void keepsCapacityTwo() {
        assertThat(new TaskQueue(2).capacity()).isEqualTo(2);
    }

    @Test
    void newQueueIsEmpty() {
        TaskQueue queue = new TaskQueue(8);

        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void pollsInFifoOrder() {
        TaskQueue queue = new TaskQueue(8);
        Runnable a = () -> { };
        Runnable b = () -> { };
        Runnable c = () -> { };

        queue.offer(a);
        queue.offer(b);
        queue.offer(c);

        assertThat(queue.isEmpty()).isFalse();
        assertThat(queue.poll()).isSameAs(a);
        assertThat(queue.poll()).isSameAs(b);
        assertThat(queue.poll()).isSameAs(c);
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void refusesOffersWhenFull() {
        TaskQueue queue = new TaskQueue(4);
        for (int i = 0; i < 4; i++) {
            assertThat(queue.offer(() -> { })).isTrue();
        }

        assertThat(queue.offer(() -> { })).isFalse();
        assertThat(queue.offer(() -> { })).isFalse();
    }

    @Test
    void worksAgainAfterDrainingAFullQueue() {
        TaskQueue queue = new TaskQueue(4);
        List<Runnable> first = tasks(4);
        first.forEach(queue::offer);
        assertThat(queue.offer(() -> { })).isFalse();
        for (Runnable task : first) {
            assertThat(queue.poll()).isSameAs(task);
        }

        List<Runnable> second = tasks(4);
        for (Runnable task : second) {
            assertThat(queue.offer(task)).isTrue();
        }

        for (Runnable task : second) {
            assertThat(queue.poll()).isSameAs(task);
        }
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void freesOneSlotPerPoll() {
        TaskQueue queue = new TaskQueue(4);
        tasks(4).forEach(queue::offer);

        queue.poll();

        assertThat(queue.offer(() -> { })).isTrue();
        assertThat(queue.offer(() -> { })).isFalse();
    }

    @Test
    void runsEveryTaskOnceInPerProducerOrderWithConcurrentProducers() throws InterruptedException {
        int producers = 4;
        int perProducer = 100_000;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        TaskQueue queue = new TaskQueue(1024);
        int[] nextExpected = new int[producers];
        AtomicReference<String> failure = new AtomicReference<>();

        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int sequence = i;
                    Runnable task = () -> {
                        if (nextExpected[producer] != sequence && failure.get() == null) {
                            failure.set("producer " + producer + ": expected task " + nextExpected[producer]
                                    + " but ran " + sequence);
                        }
                        nextExpected[producer] = sequence + 1;
                    };
                    while (!queue.offer(task)) {
                        if (System.nanoTime() > deadline) {
                            return;
                        }
                        Thread.yield();
                    }
                }
            }));
        }
        int[] ran = {0};
        Thread consumer = Thread.ofPlatform().start(() -> {
            while (ran[0] < producers * perProducer && System.nanoTime() < deadline) {
                Runnable task = queue.poll();
                if (task == null) {
                    Thread.yield();
                } else {
                    task.run();
                    ran[0]++;
                }
            }
        });
        for (Thread thread : threads) {
            thread.join();
        }
        consumer.join();

        assertThat(failure.get()).isNull();
        assertThat(ran[0]).isEqualTo(producers * perProducer);
        assertThat(nextExpected).containsOnly(perProducer);
        assertThat(queue.isEmpty()).isTrue();
    }

    private static List<Runnable> tasks(int count) {
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(() -> { });
        }
        return tasks;
    }
}

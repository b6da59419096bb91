package dev.ringserver.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, lock-free queue of tasks for one event loop: many producers (any thread), one consumer
 * (the loop). Each slot carries a sequence number that says whether it is free for the producer at a
 * given position or filled for the consumer (D. Vyukov's bounded queue), so producers only contend on
 * one counter and never block. When full, {@link #offer} returns false and the caller decides (the
 * event loop rejects the task).
 *
 * <p>Publication and the emptiness check use volatile accesses so that the loop's "about to sleep"
 * handshake ({@link EventLoop}) cannot miss a task.
 */
final class TaskQueue {

    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    private final Runnable[] tasks;
    private final long[] sequences;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private long head;

    /** @param capacity rounded up to a power of two, at least 2 */
    TaskQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.tasks = new Runnable[size];
        this.sequences = new long[size];
        this.mask = size - 1;
        for (int i = 0; i < size; i++) {
            sequences[i] = i;
        }
    }

    int capacity() {
        return tasks.length;
    }

    /** Adds a task; any thread. Returns false when the queue is full. */
    boolean offer(Runnable task) {
        long position = tail.get();
        while (true) {
            int index = (int) position & mask;
            long sequence = (long) SEQUENCE.getVolatile(sequences, index);
            long difference = sequence - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    tasks[index] = task;
                    SEQUENCE.setVolatile(sequences, index, position + 1);
                    return true;
                }
                position = tail.get();
            } else if (difference < 0) {
                return false;
            } else {
                position = tail.get();
            }
        }
    }

    /** Removes the oldest published task, or returns null; consumer thread only. */
    Runnable poll() {
        int index = (int) head & mask;
        if ((long) SEQUENCE.getVolatile(sequences, index) != head + 1) {
            return null;
        }
        Runnable task = tasks[index];
        tasks[index] = null;
        SEQUENCE.setVolatile(sequences, index, head + tasks.length);
        head++;
        return task;
    }

    /**
     * Whether no task is published; consumer thread only. A producer that has claimed a slot but not
     * yet published it is not seen, but it wakes the loop after publishing.
     */
    boolean isEmpty() {
        return (long) SEQUENCE.getVolatile(sequences, (int) head & mask) != head + 1;
    }
}

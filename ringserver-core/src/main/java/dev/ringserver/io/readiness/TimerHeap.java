package dev.ringserver.io.readiness;

import dev.ringserver.io.PendingCompletions;
import dev.ringserver.sys.Errno;

/**
 * Pending timeouts of a readiness backend: a binary min-heap on deadline in parallel primitive arrays,
 * bounded by {@code capacity}. Expired timeouts complete with {@code -ETIME}. Confined to the
 * backend's thread.
 */
final class TimerHeap {

    private final long[] deadlines;
    private final long[] tags;
    private int size;

    TimerHeap(int capacity) {
        this.deadlines = new long[capacity];
        this.tags = new long[capacity];
    }

    /**
     * @throws IllegalStateException when {@code capacity} timeouts are already pending
     */
    void add(long deadline, long tag) {
        if (size == deadlines.length) {
            throw new IllegalStateException("too many pending timeouts (limit " + deadlines.length + ")");
        }
        int index = size++;
        deadlines[index] = deadline;
        tags[index] = tag;
        siftUp(index);
    }

    /** Removes the timeout with {@code tag}; false when none is pending (it already fired). */
    boolean remove(long tag) {
        for (int i = 0; i < size; i++) {
            if (tags[i] == tag) {
                removeAt(i);
                return true;
            }
        }
        return false;
    }

    /**
     * How long a wait may last: {@code timeoutNanos} (negative: unbounded) shortened to the first
     * deadline.
     */
    long waitNanos(long timeoutNanos, long now) {
        if (size == 0) {
            return timeoutNanos;
        }
        long untilFirst = Math.max(0, deadlines[0] - now);
        return timeoutNanos < 0 ? untilFirst : Math.min(timeoutNanos, untilFirst);
    }

    /** Moves every timeout due at {@code now} to {@code completions} with {@code -ETIME}. */
    void expire(long now, PendingCompletions completions) {
        while (size > 0 && deadlines[0] - now <= 0) {
            long tag = tags[0];
            removeAt(0);
            completions.add(tag, -Errno.ETIME, 0);
        }
    }

    int size() {
        return size;
    }

    private void removeAt(int index) {
        int last = --size;
        if (index != last) {
            deadlines[index] = deadlines[last];
            tags[index] = tags[last];
            siftDown(index);
            siftUp(index);
        }
    }

    private void siftUp(int index) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (deadlines[parent] - deadlines[index] <= 0) {
                return;
            }
            swap(parent, index);
            index = parent;
        }
    }

    private void siftDown(int index) {
        while (true) {
            int left = 2 * index + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int smallest = right < size && deadlines[right] - deadlines[left] < 0 ? right : left;
            if (deadlines[index] - deadlines[smallest] <= 0) {
                return;
            }
            swap(index, smallest);
            index = smallest;
        }
    }

    private void swap(int a, int b) {
        long deadline = deadlines[a];
        deadlines[a] = deadlines[b];
        deadlines[b] = deadline;
        long tag = tags[a];
        tags[a] = tags[b];
        tags[b] = tag;
    }
}

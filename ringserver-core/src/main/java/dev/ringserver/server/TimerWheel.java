package dev.ringserver.server;

/**
 * Deadlines for many connections at a low cost: a hashed timing wheel. Scheduling, rescheduling and
 * cancelling are O(1) and allocate nothing (each connection owns its {@link Timeout}); the event loop
 * advances the wheel once per tick with a single backend timeout, and only while something is
 * scheduled. Deadlines fire up to one tick late.
 *
 * <p>Confined to its event loop's thread.
 */
public final class TimerWheel {

    /** A deadline that runs a task; reusable, owned by one connection. */
    public static final class Timeout {
        private final Runnable task;
        private long deadline;
        private Timeout next;
        private Timeout previous;
        private int bucket = -1;

        public Timeout(Runnable task) {
            this.task = task;
        }

        public boolean isScheduled() {
            return bucket >= 0;
        }
    }

    private final Timeout[] buckets;
    private final int mask;
    private final long tickNanos;
    private long currentTick;
    private int size;

    /**
     * @param bucketCount a power of two; deadlines further away than {@code bucketCount} ticks wait
     *                    for further turns of the wheel
     */
    TimerWheel(int bucketCount, long tickNanos, long now) {
        if (Integer.bitCount(bucketCount) != 1) {
            throw new IllegalArgumentException("bucket count must be a power of two: " + bucketCount);
        }
        this.buckets = new Timeout[bucketCount];
        this.mask = bucketCount - 1;
        this.tickNanos = tickNanos;
        this.currentTick = Math.floorDiv(now, tickNanos);
    }

    long tickNanos() {
        return tickNanos;
    }

    /** Timeouts scheduled. */
    int size() {
        return size;
    }

    /** Schedules (or moves) {@code timeout} to run at {@code deadline} ({@link System#nanoTime()} based). */
    void schedule(Timeout timeout, long deadline) {
        if (timeout.bucket >= 0) {
            unlink(timeout);
        }
        timeout.deadline = deadline;
        // The bucket of the first tick boundary at or after the deadline, so that the timeout is due
        // whenever that tick is advanced to (a deadline already passed goes into the next tick).
        long dueTick = Math.ceilDiv(deadline, tickNanos);
        int bucket = (int) (Math.max(dueTick, currentTick + 1) & mask);
        timeout.bucket = bucket;
        timeout.previous = null;
        timeout.next = buckets[bucket];
        if (timeout.next != null) {
            timeout.next.previous = timeout;
        }
        buckets[bucket] = timeout;
        size++;
    }

    /** Cancels {@code timeout} if it is scheduled. */
    void cancel(Timeout timeout) {
        if (timeout.bucket >= 0) {
            unlink(timeout);
        }
    }

    /**
     * Runs every timeout due at {@code now}, in the buckets of the ticks passed since the last call.
     * A task may schedule or cancel timeouts, including itself.
     *
     * @return how many ran
     */
    int advance(long now) {
        long target = Math.floorDiv(now, tickNanos);
        long from = currentTick + 1;
        if (target - currentTick > buckets.length) {
            from = target - buckets.length + 1; // every bucket once
        }
        currentTick = target;
        int ran = 0;
        for (long tick = from; tick <= target; tick++) {
            int bucket = (int) (tick & mask);
            Timeout timeout = buckets[bucket];
            while (timeout != null) {
                if (timeout.deadline - now <= 0) {
                    unlink(timeout);
                    ran++;
                    timeout.task.run();
                    // The task may have cancelled or moved any timeout: start this bucket over.
                    timeout = buckets[bucket];
                } else {
                    timeout = timeout.next; // due in a later turn of the wheel
                }
            }
        }
        return ran;
    }

    private void unlink(Timeout timeout) {
        if (timeout.previous != null) {
            timeout.previous.next = timeout.next;
        } else {
            buckets[timeout.bucket] = timeout.next;
        }
        if (timeout.next != null) {
            timeout.next.previous = timeout.previous;
        }
        timeout.next = null;
        timeout.previous = null;
        timeout.bucket = -1;
        size--;
    }
}

package dev.ringserver.files;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one {@link StaticFileHandler}. Updated from the event loops and the file-system
 * executor at once, so each is a {@link LongAdder}: no lock, and contention spreads over cells instead
 * of a shared cache line. Any thread may read them; a reading is each counter as of some recent moment.
 */
public final class StaticFileCounters {

    private static final StaticFileCounter[] NAMES = StaticFileCounter.values();

    private final LongAdder[] values = new LongAdder[NAMES.length];

    StaticFileCounters() {
        for (int i = 0; i < values.length; i++) {
            values[i] = new LongAdder();
        }
    }

    void increment(StaticFileCounter counter) {
        values[counter.ordinal()].increment();
    }

    void add(StaticFileCounter counter, long delta) {
        values[counter.ordinal()].add(delta);
    }

    /** The current value of {@code counter}; any thread. */
    public long get(StaticFileCounter counter) {
        return values[counter.ordinal()].sum();
    }

    /** Every counter's current value; any thread. */
    public Map<StaticFileCounter, Long> snapshot() {
        Map<StaticFileCounter, Long> snapshot = new EnumMap<>(StaticFileCounter.class);
        for (StaticFileCounter counter : NAMES) {
            snapshot.put(counter, get(counter));
        }
        return snapshot;
    }
}

package dev.ringserver.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;

/**
 * A set of counters with one writer. Only the owning event loop thread updates them, with plain
 * arithmetic and an opaque store, so counting costs no atomic instruction. Any thread may read them
 * at any time without locks; a reader sees each counter as of some recent moment (not a consistent
 * snapshot across counters).
 *
 * @param <E> the enum naming the counters
 */
public final class Counters<E extends Enum<E>> {

    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(long[].class);

    private final Class<E> type;
    private final E[] names;
    private final long[] values;

    public Counters(Class<E> type) {
        this.type = type;
        this.names = type.getEnumConstants();
        this.values = new long[names.length];
    }

    /** Adds one; owner thread only. */
    public void increment(E counter) {
        add(counter, 1);
    }

    /** Adds {@code delta} (which may be negative); owner thread only. */
    public void add(E counter, long delta) {
        int index = counter.ordinal();
        ELEMENT.setOpaque(values, index, values[index] + delta);
    }

    /** The current value; any thread. */
    public long get(E counter) {
        return (long) ELEMENT.getOpaque(values, counter.ordinal());
    }

    /** Every counter's current value; any thread. */
    public Map<E, Long> snapshot() {
        Map<E, Long> snapshot = new EnumMap<>(type);
        for (E counter : names) {
            snapshot.put(counter, get(counter));
        }
        return snapshot;
    }
}

package dev.ringserver.spring.metrics;

import dev.ringserver.io.Counters;
import dev.ringserver.io.IoCounter;
import dev.ringserver.server.EventLoop;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The counters of whichever core server is running now, summed over its event loops, plus the final
 * counts of the servers that ran before it.
 *
 * <p>A Boot web server builds a fresh core server on every start, whose counters begin at zero; a
 * counter read straight from it would drop back after a stop and start. Folding each retired server's
 * totals into a base keeps every count monotonic, as a Micrometer counter must be.
 *
 * <p>Thread-safe without locks: the loops' counters are read with plain opaque loads (their only
 * writers are the loops), and the base is an immutable state swapped by compare-and-set, so
 * concurrent scrapes never fold a retired server twice. A server is folded in when a read first sees
 * it replaced, so increments it makes while it is still stopping after that read are not counted;
 * counts never go down.
 */
public final class RingServerTotals {

    private final Supplier<RingServer> currentServer;
    private final AtomicReference<State> state = new AtomicReference<>(State.INITIAL);

    /**
     * @param currentServer the running core server, or null while none runs; called on every read, from
     *                      any thread
     */
    public RingServerTotals(Supplier<RingServer> currentServer) {
        this.currentServer = currentServer;
    }

    /** A backend counter, over every server this instance has seen. */
    public long total(IoCounter counter) {
        State current = advance();
        return current.io[counter.ordinal()] + sum(current.server, EventLoop::ioCounters, counter);
    }

    /** A connection counter, over every server this instance has seen. */
    public long total(LoopCounter counter) {
        State current = advance();
        return current.loop[counter.ordinal()] + sum(current.server, EventLoop::counters, counter);
    }

    /** An HTTP counter, over every server this instance has seen. */
    public long total(HttpCounter counter) {
        State current = advance();
        return current.http[counter.ordinal()] + sum(current.server, EventLoop::httpCounters, counter);
    }

    /** A level of the running server only (open connections, requests in progress); 0 when none runs. */
    public long current(LoopCounter counter) {
        return sum(currentServer.get(), EventLoop::counters, counter);
    }

    /** A level of the running server only; 0 when none runs. */
    public long current(HttpCounter counter) {
        return sum(currentServer.get(), EventLoop::httpCounters, counter);
    }

    private State advance() {
        RingServer now = currentServer.get();
        State seen = state.get();
        while (seen.server != now) {
            State next = seen.retire(now);
            if (state.compareAndSet(seen, next)) {
                return next;
            }
            seen = state.get();
        }
        return seen;
    }

    private static <E extends Enum<E>> long sum(RingServer server, Function<EventLoop, Counters<E>> counters,
            E counter) {
        if (server == null) {
            return 0;
        }
        long total = 0;
        for (EventLoop loop : server.loops()) {
            total += counters.apply(loop).get(counter);
        }
        return total;
    }

    /**
     * The server last seen and the totals of all servers before it. Immutable.
     */
    private record State(RingServer server, long[] io, long[] loop, long[] http) {

        static final State INITIAL = new State(null, new long[IoCounter.values().length],
                new long[LoopCounter.values().length], new long[HttpCounter.values().length]);

        /** This state with {@code server}'s totals folded into the base and {@code next} as the server. */
        State retire(RingServer next) {
            long[] io = this.io.clone();
            long[] loop = this.loop.clone();
            long[] http = this.http.clone();
            if (server != null) {
                server.ioTotals().forEach((counter, value) -> io[counter.ordinal()] += value);
                server.httpTotals().forEach((counter, value) -> http[counter.ordinal()] += value);
                server.connectionTotals().forEach((counter, value) -> {
                    // ACTIVE is a level, not a count: a retired server's open connections are closed.
                    if (counter != LoopCounter.ACTIVE) {
                        loop[counter.ordinal()] += value;
                    }
                });
            }
            return new State(next, io, loop, http);
        }
    }
}

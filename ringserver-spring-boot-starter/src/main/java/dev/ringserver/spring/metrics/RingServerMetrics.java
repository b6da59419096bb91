package dev.ringserver.spring.metrics;

import dev.ringserver.io.IoCounter;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * ringserver's server-level meters, every one tagged {@code backend}:
 *
 * <ul>
 *   <li>gauges {@code ringserver.connections.active}, {@code ringserver.requests.active};</li>
 *   <li>counters {@code ringserver.connections.accepted}, {@code ringserver.connections.rejected},
 *       {@code ringserver.requests}, {@code ringserver.bytes.received}, {@code ringserver.bytes.sent},
 *       {@code ringserver.sendfile.bytes}, {@code ringserver.io.syscalls}, {@code ringserver.io.completions},
 *       {@code ringserver.io.cq.overflows} (io_uring only) and {@code ringserver.http.errors}, one per
 *       status the engine answers by itself (tag {@code status}: 400, 408, 413, 414, 417, 431, 501,
 *       503, 505).</li>
 * </ul>
 *
 * <p>Each meter reads the event loops' counters when the registry asks (on a scrape), summing over the
 * loops without locks (see {@link RingServerTotals}); nothing is recorded on the request path. Request
 * timings are Spring's {@code http.server.requests}, which this does not replace.
 *
 * <p>Micrometer keeps only weak references to what function counters read: keep this instance as
 * long as the meters should count (the gauges also hold the shared totals strongly).
 *
 * <p>Thread-safe: bind once; the meters may then be read from any thread.
 */
public final class RingServerMetrics implements MeterBinder {

    private static final String ERROR_PREFIX = "ERRORS_";

    private final Supplier<RingServer> currentServer;
    private final Iterable<Tag> tags;
    private final RingServerTotals totals;

    /**
     * @param currentServer the running core server or null; read on every scrape, so a server started
     *                      again later is followed
     * @param tags          tags added to every meter, besides {@code backend}
     */
    public RingServerMetrics(Supplier<RingServer> currentServer, Iterable<Tag> tags) {
        this.currentServer = currentServer;
        this.tags = tags;
        this.totals = new RingServerTotals(currentServer);
    }

    /** Binds the meters. The {@code backend} tag is the backend of the server running now. */
    @Override
    public void bindTo(MeterRegistry registry) {
        RingServer server = currentServer.get();
        String backend = server != null ? server.backendName() : "none";
        Tags common = Tags.concat(tags, "backend", backend);

        gauge(registry, "ringserver.connections.active", "Connections open now", "connections", common,
                totals, t -> t.current(LoopCounter.ACTIVE));
        gauge(registry, "ringserver.requests.active", "Requests being handled now", "requests", common,
                totals, t -> t.current(HttpCounter.REQUESTS_ACTIVE));

        counter(registry, "ringserver.connections.accepted", "Connections accepted", "connections", common,
                totals, t -> t.total(LoopCounter.ACCEPTED));
        counter(registry, "ringserver.connections.rejected",
                "Connections closed on accept because a loop was at its connection limit or stopping", "connections",
                common, totals, t -> t.total(LoopCounter.REJECTED));
        counter(registry, "ringserver.requests", "Requests handed to the application", "requests", common,
                totals, t -> t.total(HttpCounter.REQUESTS));
        counter(registry, "ringserver.bytes.received", "Bytes received from clients", BaseUnits.BYTES, common,
                totals, t -> t.total(IoCounter.BYTES_RECEIVED));
        counter(registry, "ringserver.bytes.sent", "Bytes sent to clients", BaseUnits.BYTES, common,
                totals, t -> t.total(IoCounter.BYTES_SENT));
        counter(registry, "ringserver.sendfile.bytes", "Bytes of files sent with sendfile (zero-copy)", BaseUnits.BYTES,
                common, totals, t -> t.total(IoCounter.SENDFILE_BYTES));
        counter(registry, "ringserver.io.syscalls", "System calls made by the event loops", "calls", common,
                totals, t -> t.total(IoCounter.SYSCALLS));
        counter(registry, "ringserver.io.completions", "I/O completions delivered to the event loops", "completions",
                common, totals, t -> t.total(IoCounter.COMPLETIONS));
        if ("io_uring".equals(backend)) {
            counter(registry, "ringserver.io.cq.overflows",
                    "Times the io_uring completion queue overflowed (the kernel held completions back)", "overflows",
                    common, totals, t -> t.total(IoCounter.CQ_OVERFLOWS));
        }
        for (HttpCounter counter : HttpCounter.values()) {
            if (counter.name().startsWith(ERROR_PREFIX)) {
                String status = counter.name().substring(ERROR_PREFIX.length());
                counter(registry, "ringserver.http.errors",
                        "Requests the server answered with an error status by itself, before the application",
                        "requests", common.and("status", status), totals, t -> t.total(counter));
            }
        }
    }

    private static void gauge(MeterRegistry registry, String name, String description, String unit, Tags tags,
            RingServerTotals totals, ToDoubleFunction<RingServerTotals> value) {
        Gauge.builder(name, totals, value).description(description).baseUnit(unit).tags(tags)
                .strongReference(true).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, String unit, Tags tags,
            RingServerTotals totals, ToDoubleFunction<RingServerTotals> value) {
        FunctionCounter.builder(name, totals, value).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }
}

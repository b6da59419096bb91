package dev.ringserver.spring.metrics;

import dev.ringserver.files.StaticFileCounter;
import dev.ringserver.files.StaticFileCounters;
import dev.ringserver.files.StaticFileHandler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;

/**
 * Meters of the static-file handlers in front of the application ({@code ringserver.static.locations}),
 * one set per location, tagged {@code location} (its URL prefix):
 *
 * <ul>
 *   <li>{@code ringserver.static.requests}: requests the location took;</li>
 *   <li>{@code ringserver.static.bytes}, tag {@code transfer}: {@code sendfile} for file bytes the kernel
 *       sent from the page cache (zero-copy), {@code copied} for bytes copied from the memory cache of
 *       small files into the connection's buffers;</li>
 *   <li>{@code ringserver.static.cache.lookups}, tags {@code cache} ({@code memory}: small files' contents,
 *       {@code descriptors}: open large files) and {@code result} ({@code hit}, {@code miss});</li>
 *   <li>{@code ringserver.static.responses}, tag {@code status}: the answers that are not a full 200
 *       ({@code 206}, {@code 304}, {@code 404}, and {@code 503} when the file-system executor was full).</li>
 * </ul>
 *
 * <p>Each meter reads the handler's counters when the registry asks; nothing is recorded on the request
 * path. Micrometer keeps only weak references to what function counters read, so the handlers' counters
 * must stay reachable, which they do as long as the web server holding the handlers does.
 *
 * <p>Thread-safe: bind once; the meters may then be read from any thread.
 */
public final class RingServerStaticFileMetrics implements MeterBinder {

    private final List<StaticFileHandler> handlers;
    private final Iterable<Tag> tags;

    /**
     * @param handlers the web server's static-file handlers
     * @param tags     tags added to every meter, besides {@code location}
     */
    public RingServerStaticFileMetrics(List<StaticFileHandler> handlers, Iterable<Tag> tags) {
        this.handlers = List.copyOf(handlers);
        this.tags = tags;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (StaticFileHandler handler : handlers) {
            Tags location = Tags.concat(tags, "location", handler.config().urlPrefix());
            StaticFileCounters counters = handler.counters();
            counter(registry, "ringserver.static.requests", "Requests a static location took", "requests",
                    location, counters, StaticFileCounter.REQUESTS);
            String bytes = "File bytes a static location sent, by sendfile (zero-copy) or copied from memory";
            counter(registry, "ringserver.static.bytes", bytes, BaseUnits.BYTES, location.and("transfer", "sendfile"),
                    counters, StaticFileCounter.SENDFILE_BYTES);
            counter(registry, "ringserver.static.bytes", bytes, BaseUnits.BYTES, location.and("transfer", "copied"),
                    counters, StaticFileCounter.COPIED_BYTES);
            String lookups = "Static location cache lookups: small files' contents (memory), open large files (descriptors)";
            lookup(registry, lookups, location, "memory", counters,
                    StaticFileCounter.MEMORY_CACHE_HITS, StaticFileCounter.MEMORY_CACHE_MISSES);
            lookup(registry, lookups, location, "descriptors", counters,
                    StaticFileCounter.OPEN_FILE_HITS, StaticFileCounter.OPEN_FILE_MISSES);
            String responses = "Static location answers other than a full 200";
            status(registry, responses, location, "206", counters, StaticFileCounter.PARTIAL);
            status(registry, responses, location, "304", counters, StaticFileCounter.NOT_MODIFIED);
            status(registry, responses, location, "404", counters, StaticFileCounter.NOT_FOUND);
            status(registry, responses, location, "503", counters, StaticFileCounter.REJECTED);
        }
    }

    private static void lookup(MeterRegistry registry, String description, Tags location, String cache,
            StaticFileCounters counters, StaticFileCounter hits, StaticFileCounter misses) {
        Tags tags = location.and("cache", cache);
        counter(registry, "ringserver.static.cache.lookups", description, "lookups", tags.and("result", "hit"),
                counters, hits);
        counter(registry, "ringserver.static.cache.lookups", description, "lookups", tags.and("result", "miss"),
                counters, misses);
    }

    private static void status(MeterRegistry registry, String description, Tags location, String status,
            StaticFileCounters counters, StaticFileCounter counter) {
        counter(registry, "ringserver.static.responses", description, "responses", location.and("status", status),
                counters, counter);
    }

    private static void counter(MeterRegistry registry, String name, String description, String unit, Tags tags,
            StaticFileCounters counters, StaticFileCounter counter) {
        FunctionCounter.builder(name, counters, c -> c.get(counter)).description(description).baseUnit(unit)
                .tags(tags).register(registry);
    }
}

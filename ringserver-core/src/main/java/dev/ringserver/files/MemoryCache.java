package dev.ringserver.files;

import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small files kept in memory, keyed by their path relative to the root (plus the coding suffix for a
 * sibling). Bounded by bytes, counting a fixed overhead per entry so that even empty files cannot grow
 * it without limit; when full, the least recently used entries leave. An entry is returned only for
 * the exact {@link FileVersion} a fresh {@code stat} found, and a stale one is dropped on sight.
 *
 * <p>Thread-safe by a lock taken only on the file-system executor, never on an event loop: the loop
 * receives the entry's immutable body and copies from it. Bodies are heap arrays viewed as segments,
 * so an evicted body lives exactly as long as a response still copying it, with nothing to free.
 */
final class MemoryCache {

    /** Bytes charged per entry besides its body: key, map node, validators. */
    static final int ENTRY_OVERHEAD = 256;

    /** A cached file: its validators and its bytes (read-only). */
    record Entry(FileInfo info, MemorySegment body) {
        long charge() {
            return body.byteSize() + ENTRY_OVERHEAD;
        }
    }

    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    MemoryCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The entry for {@code key} if it holds {@code version}; null otherwise (dropping a stale one). */
    synchronized Entry get(String key, FileVersion version) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!entry.info().version().equals(version)) {
            entries.remove(key);
            bytes -= entry.charge();
            return null;
        }
        return entry;
    }

    /** Caches {@code entry} under {@code key}, evicting the least recently used beyond the bound. */
    synchronized void put(String key, Entry entry) {
        if (entry.charge() > maxBytes) {
            return;
        }
        Entry previous = entries.put(key, entry);
        if (previous != null) {
            bytes -= previous.charge();
        }
        bytes += entry.charge();
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Entry evicted = eldest.next().getValue();
            eldest.remove();
            bytes -= evicted.charge();
        }
    }

    /** Drops {@code key} (its file is gone). */
    synchronized void remove(String key) {
        Entry entry = entries.remove(key);
        if (entry != null) {
            bytes -= entry.charge();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** Bytes charged, bodies plus overhead. */
    synchronized long bytes() {
        return bytes;
    }

    synchronized void clear() {
        entries.clear();
        bytes = 0;
    }
}

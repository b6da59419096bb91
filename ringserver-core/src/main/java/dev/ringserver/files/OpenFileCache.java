package dev.ringserver.files;

import dev.ringserver.io.FileHandle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open files kept for sendfile, keyed like {@link MemoryCache}. The cache holds one reference to each
 * file and hands out {@linkplain FileHandle#share() shares}: a response's share is closed by the
 * response when it has been sent or dropped, and the descriptor is closed only when the cache has let
 * go too (the entry was evicted, went stale or the cache was closed). So a descriptor is never closed
 * under a transfer, and never outlives both the cache and the last transfer.
 *
 * <p>Bounded by entries; the least recently used leave first. With a bound of 0 nothing is kept and
 * every response gets the handle it opened. Thread-safe by a lock taken only on the file-system
 * executor; descriptors are closed outside it.
 */
final class OpenFileCache {

    /** A share of a cached file (or an uncached handle) with the validators of its version. */
    record Lease(FileInfo info, FileHandle handle) {
    }

    private record Entry(FileInfo info, String backend, FileHandle handle) {
    }

    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private boolean closed;

    OpenFileCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * A share of the file cached for {@code key} when it holds {@code version} in the form
     * {@code backend} sends; null otherwise (a stale entry is dropped and its reference closed).
     */
    Lease share(String key, FileVersion version, String backend) {
        Entry stale;
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry == null) {
                return null;
            }
            if (entry.info().version().equals(version) && entry.backend().equals(backend)) {
                // under the lock, so eviction cannot release the cache's reference before this share exists
                return new Lease(entry.info(), entry.handle().share());
            }
            entries.remove(key);
            stale = entry;
        }
        closeQuietly(stale.handle());
        return null;
    }

    /**
     * Caches {@code opened} (the caller's reference becomes the cache's) and returns a share of it for
     * the caller; evicts the least recently used beyond the bound. Uncached (the bound is 0, or the
     * cache is closed), the caller keeps {@code opened} itself.
     */
    Lease put(String key, FileInfo info, String backend, FileHandle opened) {
        List<FileHandle> toClose = null;
        Lease lease;
        synchronized (this) {
            if (closed || maxEntries == 0) {
                return new Lease(info, opened);
            }
            lease = new Lease(info, opened.share());
            Entry previous = entries.put(key, new Entry(info, backend, opened));
            if (previous != null) {
                toClose = new ArrayList<>(1);
                toClose.add(previous.handle());
            }
            Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
            while (entries.size() > maxEntries) {
                if (toClose == null) {
                    toClose = new ArrayList<>(1);
                }
                toClose.add(eldest.next().getValue().handle());
                eldest.remove();
            }
        }
        if (toClose != null) {
            toClose.forEach(OpenFileCache::closeQuietly);
        }
        return lease;
    }

    /** Drops {@code key} (its file is gone), closing the cache's reference. */
    void remove(String key) {
        Entry entry;
        synchronized (this) {
            entry = entries.remove(key);
        }
        if (entry != null) {
            closeQuietly(entry.handle());
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** Closes the cache's references and keeps nothing from now on; transfers in flight finish. */
    void close() {
        List<Entry> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(entries.values());
            entries.clear();
        }
        all.forEach(entry -> closeQuietly(entry.handle()));
    }

    static void closeQuietly(FileHandle handle) {
        try {
            handle.close();
        } catch (IOException ignored) {
            // a read-only descriptor: closing it loses nothing even when the kernel reports an error
        }
    }
}

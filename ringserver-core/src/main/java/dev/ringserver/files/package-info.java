/**
 * Static files: {@link dev.ringserver.files.StaticFileHandler} maps a URL prefix to a directory.
 *
 * <h2>Threads</h2>
 * The handler runs on the event loop only long enough to copy what the answer depends on
 * ({@code FileRequest}). Resolving the path, {@code stat}, {@code open} and reading small files happen
 * on a bounded executor (by default a few platform threads and a queue of 16,384; a full queue gets 503
 * at once), which posts the finished {@code Reply} to the loop as one task. The loop never touches
 * the file system and never takes a lock; the caches lock, on the executor only. What the loop
 * allocates per request (the path and the fields it copies, the request record, the task) measured
 * 184 bytes ({@code StaticFileThresholdBench}, the loop thread's allocation counter): short-lived
 * objects from the thread's allocation buffer, which young collections reclaim without copying.
 *
 * <h2>Transfer</h2>
 * Files up to {@link dev.ringserver.files.StaticFilesConfig#DEFAULT_MEMORY_CACHE_FILE_BYTES} (32 KiB)
 * are kept in a {@code MemoryCache} (bounded by bytes, least recently used out) and written with their
 * head in one gathering write. Larger files go by sendfile from an {@code OpenFileCache} (bounded by
 * entries). Because {@code HttpResponse.sendFile} closes the handle it is given, the cache hands out
 * {@link dev.ringserver.io.FileHandle#share() shares}: reference-counted handles on one descriptor, so
 * a descriptor is closed only after the cache dropped it <em>and</em> the last response sending it
 * ended, whether completely, by an abort or by a client that left. Measured, a cached descriptor
 * saves 9 to 13 us of CPU per request over opening per response (open, stat, close).
 *
 * <h2>Staleness</h2>
 * Every request {@code stat}s the file; a cache entry serves only the exact version found (device and
 * inode, size, modification time in nanoseconds). Content is read or opened between two
 * {@code stat}s that must agree, else it is tried again (then 503). A file replaced by a rename
 * mid-transfer leaves that transfer on the old inode: a response is one version or the other, never a
 * mix. (A file rewritten in place while being sent cannot be protected this way; a shorter file ends
 * the connection, as the core does for any file region.)
 *
 * <h2>Safety</h2>
 * Paths are decoded once, segment by segment, and anything that could leave the root or be read
 * differently elsewhere is refused ({@code RequestPaths}); links leading out of the root are refused
 * unless allowed, checked with the real path before a file is read or opened. Known limit: a process
 * that can rewrite links inside the root between that check and the open could race it.
 */
package dev.ringserver.files;

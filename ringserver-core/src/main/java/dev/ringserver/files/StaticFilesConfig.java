package dev.ringserver.files;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a {@link StaticFileHandler} serves and how. Immutable; build with {@link #builder(Path)}.
 *
 * @param urlPrefix            the URL path the root is mapped to, always starting and ending with
 *                             {@code /}; requests outside it go to the handler's fallback
 * @param root                 the directory served
 * @param indexFile            the file a directory answers with (404 without it); null: directories
 *                             always get 404. There are no directory listings.
 * @param redirectDirectories  a directory requested without its trailing slash gets 301 to the URL with
 *                             it (so relative links in its index work) instead of the index at once
 * @param allowSymlinksOutside follow symbolic links that lead out of the root; off, such files get 404
 * @param serveHidden          serve paths with a segment starting with {@code .}; off, they get 404
 * @param cacheControl         the {@code Cache-Control} value of every 200, 206 and 304; null: none
 * @param etags                which entity tags to send and compare
 * @param precompressed        serve {@code file.br} / {@code file.gz} in place of {@code file} to
 *                             clients that accept the coding, with {@code Vary: Accept-Encoding}
 * @param memoryCacheFileBytes files up to this size are kept in memory and sent with their head in one
 *                             write; larger ones go by sendfile. 0 turns the memory cache off.
 * @param memoryCacheBytes     bytes the memory cache holds at most (least recently used leave first)
 * @param openFileCacheEntries open files kept for sendfile at most (least recently used are closed
 *                             first, once no response is still sending them); 0 opens per response
 * @param maxRanges            ranges one request may ask for; more, or overlapping ones, and the
 *                             {@code Range} field is ignored (a full 200), as RFC 9110 §14.2 allows
 * @param mimeTypes            extra or replacing media types by lower-case file extension
 * @param executor             runs the file-system work (resolving, stat, open, reading small files);
 *                             null: a pool of {@code executorThreads} platform threads the handler owns
 *                             and shuts down on close. A rejected task is answered with 503.
 * @param executorThreads      threads of the handler's own pool
 * @param executorQueue        requests that may wait for the handler's own pool; more get 503
 */
public record StaticFilesConfig(
        String urlPrefix,
        Path root,
        String indexFile,
        boolean redirectDirectories,
        boolean allowSymlinksOutside,
        boolean serveHidden,
        String cacheControl,
        ETags etags,
        boolean precompressed,
        int memoryCacheFileBytes,
        long memoryCacheBytes,
        int openFileCacheEntries,
        int maxRanges,
        Map<String, String> mimeTypes,
        Executor executor,
        int executorThreads,
        int executorQueue) {

    /** Which entity tags responses carry (RFC 9110 §8.8.3). */
    public enum ETags {
        /** {@code "mtime-size"}: byte-for-byte identity, usable for ranges ({@code If-Range}). */
        STRONG,
        /** {@code W/"mtime-size"}: good for revalidation, never for ranges. */
        WEAK,
        /** None; validation by {@code Last-Modified} only. */
        NONE
    }

    /**
     * Files up to 32 KiB are served from memory by default. Measured as server CPU per request
     * ({@code StaticFileThresholdBench}, wrk with 16 keep-alive connections, one epoll loop, median of
     * three runs on 2 shared vCPUs), memory / sendfile: 2 KiB 19 / 30 us, 16 KiB 22 / 27 us, 32 KiB
     * 28 / 31 us, 64 KiB 35 / 33 us, 128 KiB 75 / 47 us. Below 32 KiB the copy costs less than a
     * sendfile call and a second write; from 64 KiB on copying through the connection's buffers costs
     * more, and sendfile needs no cache memory.
     */
    public static final int DEFAULT_MEMORY_CACHE_FILE_BYTES = 32 * 1024;

    public StaticFilesConfig {
        urlPrefix = normalizePrefix(urlPrefix);
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        if (indexFile != null && (indexFile.isEmpty() || indexFile.contains("/") || indexFile.equals("..")
                || indexFile.equals("."))) {
            throw new IllegalArgumentException("indexFile must be a plain file name: '" + indexFile + "'");
        }
        if (cacheControl != null) {
            dev.ringserver.http.ResponseHeadWriter.checkValue("Cache-Control", cacheControl);
        }
        Objects.requireNonNull(etags, "etags");
        if (memoryCacheFileBytes < 0 || memoryCacheFileBytes > 1 << 20) {
            throw new IllegalArgumentException("memoryCacheFileBytes must be between 0 and 1 MiB: " + memoryCacheFileBytes);
        }
        if (memoryCacheBytes < 0 || openFileCacheEntries < 0) {
            throw new IllegalArgumentException("cache bounds must not be negative");
        }
        if (maxRanges < 1 || executorThreads < 1 || executorQueue < 1) {
            throw new IllegalArgumentException("maxRanges, executorThreads and executorQueue must be positive");
        }
        mimeTypes = Map.copyOf(mimeTypes);
    }

    /** A builder serving {@code root} at {@code /} with the defaults. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    public Builder toBuilder() {
        Builder builder = new Builder(root);
        builder.urlPrefix = urlPrefix;
        builder.indexFile = indexFile;
        builder.redirectDirectories = redirectDirectories;
        builder.allowSymlinksOutside = allowSymlinksOutside;
        builder.serveHidden = serveHidden;
        builder.cacheControl = cacheControl;
        builder.etags = etags;
        builder.precompressed = precompressed;
        builder.memoryCacheFileBytes = memoryCacheFileBytes;
        builder.memoryCacheBytes = memoryCacheBytes;
        builder.openFileCacheEntries = openFileCacheEntries;
        builder.maxRanges = maxRanges;
        builder.mimeTypes = mimeTypes;
        builder.executor = executor;
        builder.executorThreads = executorThreads;
        builder.executorQueue = executorQueue;
        return builder;
    }

    private static String normalizePrefix(String prefix) {
        Objects.requireNonNull(prefix, "urlPrefix");
        if (!prefix.startsWith("/") || prefix.contains("//") || prefix.contains("%") || prefix.contains("?")
                || prefix.contains("/../") || prefix.contains("/./") || prefix.endsWith("/..") || prefix.endsWith("/.")) {
            throw new IllegalArgumentException("urlPrefix must be a plain absolute path such as /static/: '" + prefix + "'");
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** Builds a {@link StaticFilesConfig}; not thread-safe. */
    public static final class Builder {
        private final Path root;
        private String urlPrefix = "/";
        private String indexFile = "index.html";
        private boolean redirectDirectories = true;
        private boolean allowSymlinksOutside;
        private boolean serveHidden;
        private String cacheControl;
        private ETags etags = ETags.STRONG;
        private boolean precompressed = true;
        private int memoryCacheFileBytes = DEFAULT_MEMORY_CACHE_FILE_BYTES;
        private long memoryCacheBytes = 32L << 20;
        private int openFileCacheEntries = 256;
        private int maxRanges = 16;
        private Map<String, String> mimeTypes = Map.of();
        private Executor executor;
        private int executorThreads = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8);
        // One connection has at most one file request in flight, so a queue as long as a loop's default
        // connection limit does not refuse requests under that limit for want of room; it still bounds
        // what waits when the disk is slower than the clients.
        private int executorQueue = 16_384;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** The URL path served from the root, such as {@code /static/}. Default {@code /}. */
        public Builder urlPrefix(String value) {
            this.urlPrefix = value;
            return this;
        }

        /** The file directories answer with; null for none. Default {@code index.html}. */
        public Builder indexFile(String value) {
            this.indexFile = value;
            return this;
        }

        /** Whether {@code /dir} redirects to {@code /dir/}. Default true. */
        public Builder redirectDirectories(boolean value) {
            this.redirectDirectories = value;
            return this;
        }

        /** Whether symbolic links may lead out of the root. Default false. */
        public Builder allowSymlinksOutside(boolean value) {
            this.allowSymlinksOutside = value;
            return this;
        }

        /** Whether dot files and dot directories are served. Default false. */
        public Builder serveHidden(boolean value) {
            this.serveHidden = value;
            return this;
        }

        /** The {@code Cache-Control} value, such as {@code max-age=3600}; null for none. Default none. */
        public Builder cacheControl(String value) {
            this.cacheControl = value;
            return this;
        }

        /** Strong, weak or no entity tags. Default strong. */
        public Builder etags(ETags value) {
            this.etags = value;
            return this;
        }

        /** Whether {@code .br} and {@code .gz} siblings are served. Default true. */
        public Builder precompressed(boolean value) {
            this.precompressed = value;
            return this;
        }

        /** Largest file served from memory (0: none). Default {@link StaticFilesConfig#DEFAULT_MEMORY_CACHE_FILE_BYTES}. */
        public Builder memoryCacheFileBytes(int value) {
            this.memoryCacheFileBytes = value;
            return this;
        }

        /** Total bytes of the memory cache. Default 32 MiB. */
        public Builder memoryCacheBytes(long value) {
            this.memoryCacheBytes = value;
            return this;
        }

        /** Open files kept for sendfile (0: open per response). Default 256. */
        public Builder openFileCacheEntries(int value) {
            this.openFileCacheEntries = value;
            return this;
        }

        /** Most ranges in one request. Default 16. */
        public Builder maxRanges(int value) {
            this.maxRanges = value;
            return this;
        }

        /** Media types by lower-case extension (without the dot), added to or replacing the built-in table. */
        public Builder mimeTypes(Map<String, String> value) {
            this.mimeTypes = Objects.requireNonNull(value);
            return this;
        }

        /** Runs the file-system work; the caller keeps ownership. Default: the handler's own pool. */
        public Builder executor(Executor value) {
            this.executor = value;
            return this;
        }

        /** Threads of the handler's own pool. Default: processors, between 2 and 8. */
        public Builder executorThreads(int value) {
            this.executorThreads = value;
            return this;
        }

        /**
         * Requests waiting for the handler's own pool before 503. Default 16,384 (a loop's default
         * connection limit): set it at least as high as the connections that may ask for files at once.
         */
        public Builder executorQueue(int value) {
            this.executorQueue = value;
            return this;
        }

        public StaticFilesConfig build() {
            return new StaticFilesConfig(urlPrefix, root, indexFile, redirectDirectories, allowSymlinksOutside,
                    serveHidden, cacheControl, etags, precompressed, memoryCacheFileBytes, memoryCacheBytes,
                    openFileCacheEntries, maxRanges, mimeTypes, executor, executorThreads, executorQueue);
        }
    }
}

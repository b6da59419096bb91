package dev.ringserver.files;

import dev.ringserver.io.FileHandle;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a file's content comes from for one response: the memory cache or a fresh read for small
 * files, the descriptor cache or a fresh open for larger ones, always at the version a {@code stat}
 * just found. A miss checks that the file, links followed, lies under the root, then reads or opens
 * it between two {@code stat}s that must agree. Blocks on the file system: executor threads only.
 * Thread-safe (the caches lock themselves).
 */
final class FileSources {

    /**
     * A file's content for one response: its bytes (from memory) or a handle the caller owns and must
     * give to the response or {@link #release()}; or one of the markers below.
     */
    record Source(FileInfo info, MemorySegment body, FileHandle handle) {

        /** Closes the handle, if any, when the response will not send it. */
        void release() {
            if (handle != null) {
                OpenFileCache.closeQuietly(handle);
            }
        }
    }

    /** The file changed while it was read or opened: stat it again. */
    static final Source CHANGED = new Source(null, null, null);
    /** The file lies outside the root through a link: 404. */
    static final Source OUTSIDE = new Source(null, null, null);
    /** The file exists but may not be read: 403. */
    static final Source FORBIDDEN = new Source(null, null, null);

    private final StaticFilesConfig config;
    private final Path realRoot;
    private final MemoryCache memory;
    private final OpenFileCache openFiles;
    private final StaticFileCounters counters;

    /** @throws IllegalArgumentException when the root is not an existing directory */
    FileSources(StaticFilesConfig config, MemoryCache memory, OpenFileCache openFiles, StaticFileCounters counters) {
        this.config = config;
        try {
            this.realRoot = config.root().toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("the root " + config.root() + " cannot be served: " + e, e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("the root " + config.root() + " is not a directory");
        }
        this.memory = memory;
        this.openFiles = openFiles;
        this.counters = counters;
    }

    /** Finds the file's content at {@code attributes}' version in a cache, or reads or opens it. */
    Source load(FileRequest request, String key, Path file, BasicFileAttributes attributes, String coding)
            throws IOException {
        FileVersion version = FileVersion.of(attributes);
        if (version.size() <= config.memoryCacheFileBytes() && config.memoryCacheBytes() > 0) {
            MemoryCache.Entry entry = memory.get(key, version);
            if (entry != null) {
                counters.increment(StaticFileCounter.MEMORY_CACHE_HITS);
                return new Source(entry.info(), entry.body(), null);
            }
            counters.increment(StaticFileCounter.MEMORY_CACHE_MISSES);
            if (!insideRoot(file)) {
                return OUTSIDE;
            }
            byte[] bytes;
            try {
                bytes = read(file, version);
            } catch (IOException e) {
                return failedToOpen(file, e);
            }
            if (bytes == null) {
                return CHANGED;
            }
            entry = new MemoryCache.Entry(FileInfo.of(version, config.etags(), coding), MemorySegment.ofArray(bytes));
            memory.put(key, entry);
            return new Source(entry.info(), entry.body(), null);
        }
        String backend = request.exchange().loop().backendName();
        OpenFileCache.Lease lease = openFiles.share(key, version, backend);
        if (lease != null) {
            counters.increment(StaticFileCounter.OPEN_FILE_HITS);
            return new Source(lease.info(), null, lease.handle());
        }
        counters.increment(StaticFileCounter.OPEN_FILE_MISSES);
        if (!insideRoot(file)) {
            return OUTSIDE;
        }
        FileHandle handle;
        try {
            handle = request.exchange().loop().openFile(file);
        } catch (IOException e) {
            return failedToOpen(file, e);
        }
        BasicFileAttributes after;
        try {
            after = stat(file);
        } catch (IOException | RuntimeException e) {
            OpenFileCache.closeQuietly(handle);
            throw e;
        }
        // Unchanged from before the open to after it: the descriptor holds the version that was checked.
        if (after == null || !version.sameAs(after) || handle.size() != version.size()) {
            OpenFileCache.closeQuietly(handle);
            return CHANGED;
        }
        lease = openFiles.put(key, FileInfo.of(version, config.etags(), coding), backend, handle);
        return new Source(lease.info(), null, lease.handle());
    }

    /** The whole file if it still is {@code version} after reading, else null. */
    private static byte[] read(Path file, FileVersion version) throws IOException {
        byte[] bytes = new byte[(int) version.size()];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    return null; // shrank
                }
            }
        }
        BasicFileAttributes after = stat(file);
        return after != null && version.sameAs(after) ? bytes : null;
    }

    private Source failedToOpen(Path file, IOException e) throws IOException {
        if (stat(file) == null) {
            return CHANGED; // deleted between stat and open: the next stat says 404
        }
        if (e instanceof java.nio.file.AccessDeniedException
                || e instanceof dev.ringserver.sys.ErrnoException errno && "EACCES".equals(errno.errnoName())) {
            return FORBIDDEN;
        }
        throw e;
    }

    /** Whether {@code file}, all links followed, lies under the root (always, when links may leave it). */
    private boolean insideRoot(Path file) {
        if (config.allowSymlinksOutside()) {
            return true;
        }
        try {
            return file.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false; // gone, or a link loop
        }
    }

    void forget(String key) {
        // A file that is gone must not be held open (its disk space stays in use while it is).
        openFiles.remove(key);
        openFiles.remove(key + ".br");
        openFiles.remove(key + ".gz");
    }

    /** The file's attributes, links followed, or null when there is no such file to serve. */
    static BasicFileAttributes stat(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (FileSystemException e) {
            return null; // absent, a path through a file, a link loop, a name too long, no permission to search
        }
    }
}

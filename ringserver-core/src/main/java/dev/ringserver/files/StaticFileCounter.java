package dev.ringserver.files;

/** What a {@link StaticFileHandler} counts; read them with {@link StaticFileHandler#counters()}. */
public enum StaticFileCounter {
    /** Requests the handler took (GET and HEAD under its prefix). */
    REQUESTS,
    /** File bytes handed to sendfile (copied by the kernel from the page cache to the socket), counted as handed over. */
    SENDFILE_BYTES,
    /** File bytes copied from the memory cache into the connection's buffers. */
    COPIED_BYTES,
    /** Small files found in the memory cache at the version on disk. */
    MEMORY_CACHE_HITS,
    /** Small files read from disk (absent, evicted or changed). */
    MEMORY_CACHE_MISSES,
    /** Large files found open in the descriptor cache at the version on disk. */
    OPEN_FILE_HITS,
    /** Large files opened (absent, evicted or changed). */
    OPEN_FILE_MISSES,
    /** 304 answers. */
    NOT_MODIFIED,
    /** 206 answers. */
    PARTIAL,
    /** 404 answers. */
    NOT_FOUND,
    /** 503 answers because the file-system executor refused the work (its queue was full). */
    REJECTED
}

package dev.ringserver.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The number of {@link FileHandle}s that share one open file: the opener's plus one per
 * {@link FileHandle#share()} not yet closed. The last close closes the file. Thread-safe.
 */
final class FileReferences {

    private final AtomicInteger count = new AtomicInteger(1);

    /**
     * Adds a reference.
     *
     * @throws IllegalStateException when every reference was already released (the file is closed)
     */
    void retain() {
        int current;
        do {
            current = count.get();
            if (current <= 0) {
                throw new IllegalStateException("the file is already closed");
            }
        } while (!count.compareAndSet(current, current + 1));
    }

    /** Drops a reference; true when it was the last, and the caller must close the file. */
    boolean release() {
        return count.decrementAndGet() == 0;
    }

    /** References not yet released; for tests and diagnostics. */
    int count() {
        return count.get();
    }
}

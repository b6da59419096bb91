package dev.ringserver.io;

/**
 * Receives completions from {@link IoBackend#poll}, on the backend's thread. It may submit new
 * operations; they are queued and take effect from the next poll.
 */
@FunctionalInterface
public interface CompletionHandler {

    /**
     * @param tag    the tag the operation was submitted with
     * @param result bytes, a new handle, or {@code -errno}
     * @param flags  {@link Completions} flags
     */
    void complete(long tag, int result, int flags);
}

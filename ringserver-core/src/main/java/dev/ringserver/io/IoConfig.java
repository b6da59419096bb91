package dev.ringserver.io;

import java.util.Set;

/**
 * Sizes and switches for one backend instance. Every buffer and queue a backend owns is bounded by
 * these values. Immutable.
 *
 * @param recvBufferSize         bytes per receive buffer
 * @param recvBufferCount        receive buffers per loop, a power of two (io_uring's buffer ring needs
 *                               one); when all are in use receiving pauses until one is released
 * @param submissionQueueEntries io_uring submission queue entries (a power of two)
 * @param completionQueueEntries io_uring completion queue entries (a power of two, at least the SQ size)
 * @param maxPendingTimeouts     timeouts that may be pending at once; more is an error
 * @param maxEventsPerPoll       readiness events fetched per wait (epoll)
 * @param disabledFeatures       io_uring features to leave off even when the kernel has them, by the
 *                               names used in the feature string (for example {@code buffer_ring});
 *                               used to exercise the degraded paths
 */
public record IoConfig(
        int recvBufferSize,
        int recvBufferCount,
        int submissionQueueEntries,
        int completionQueueEntries,
        int maxPendingTimeouts,
        int maxEventsPerPoll,
        Set<String> disabledFeatures) {

    /** The defaults: 16 KiB x 512 receive buffers, SQ 256, CQ 8192. */
    public static final IoConfig DEFAULT = new IoConfig(16 * 1024, 512, 256, 8192, 4096, 512, Set.of());

    public IoConfig {
        requireRange("recvBufferSize", recvBufferSize, 512, 1 << 20);
        requirePowerOfTwo("recvBufferCount", recvBufferCount, 2, 1 << 15);
        requirePowerOfTwo("submissionQueueEntries", submissionQueueEntries, 8, 1 << 15);
        requirePowerOfTwo("completionQueueEntries", completionQueueEntries, submissionQueueEntries, 1 << 20);
        requireRange("maxPendingTimeouts", maxPendingTimeouts, 16, 1 << 20);
        requireRange("maxEventsPerPoll", maxEventsPerPoll, 1, 1 << 16);
        disabledFeatures = Set.copyOf(disabledFeatures);
    }

    public IoConfig withRecvBuffers(int size, int count) {
        return new IoConfig(size, count, submissionQueueEntries, completionQueueEntries, maxPendingTimeouts,
                maxEventsPerPoll, disabledFeatures);
    }

    public IoConfig withQueueEntries(int submission, int completion) {
        return new IoConfig(recvBufferSize, recvBufferCount, submission, completion, maxPendingTimeouts,
                maxEventsPerPoll, disabledFeatures);
    }

    public IoConfig withDisabledFeatures(Set<String> features) {
        return new IoConfig(recvBufferSize, recvBufferCount, submissionQueueEntries, completionQueueEntries,
                maxPendingTimeouts, maxEventsPerPoll, features);
    }

    /** Whether the io_uring feature {@code name} may be used. */
    public boolean allows(String name) {
        return !disabledFeatures.contains(name);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
    }

    private static void requirePowerOfTwo(String name, int value, int min, int max) {
        requireRange(name, value, min, max);
        if (Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(name + " must be a power of two: " + value);
        }
    }
}

package dev.ringserver.io;

import dev.ringserver.sys.linux.LinuxAbi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads and writes arrays of {@code struct iovec} (a 64-bit base address and a 64-bit length; the same
 * layout on every 64-bit POSIX system) for {@link IoBackend#sendv}. Thread-safe: stateless.
 */
public final class IoVecs {

    /** Bytes per {@code struct iovec}. */
    public static final long SIZE = LinuxAbi.IOVEC_SIZE;

    private IoVecs() {
    }

    /** Points entry {@code index} at {@code length} bytes of {@code buffer} from {@code offset}. */
    public static void set(MemorySegment iovecs, int index, MemorySegment buffer, long offset, long length) {
        long base = index * SIZE;
        iovecs.set(ValueLayout.JAVA_LONG, base + LinuxAbi.IOVEC_BASE, buffer.address() + offset);
        iovecs.set(ValueLayout.JAVA_LONG, base + LinuxAbi.IOVEC_LEN, length);
    }

    /** The base address of entry {@code index}. */
    public static long address(MemorySegment iovecs, int index) {
        return iovecs.get(ValueLayout.JAVA_LONG, index * SIZE + LinuxAbi.IOVEC_BASE);
    }

    /** The length of entry {@code index}. */
    public static long length(MemorySegment iovecs, int index) {
        return iovecs.get(ValueLayout.JAVA_LONG, index * SIZE + LinuxAbi.IOVEC_LEN);
    }

    /** The total length of the first {@code count} entries. */
    public static long totalLength(MemorySegment iovecs, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += length(iovecs, i);
        }
        return total;
    }
}

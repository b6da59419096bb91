package dev.ringserver.server;

import dev.ringserver.io.FileHandle;

import java.io.IOException;

/**
 * The file regions a connection has queued for sending, in order, each placed in the connection's
 * byte stream by a mark: the number of queued bytes written before it. A region is sent once every
 * byte before its mark has gone. Bounded: {@link #offer} refuses more than {@code capacity} regions.
 *
 * <p>A region whose {@code release} flag is set closes its file when it has been sent or discarded,
 * so several regions of one file (ranges) share one handle and the last one closes it.
 *
 * <p>Confined to the connection's loop.
 */
final class OutboundFiles {

    private final FileHandle[] files;
    private final long[] offsets;
    private final long[] remaining;
    private final long[] marks;
    private final boolean[] release;
    private int head;
    private int count;

    OutboundFiles(int capacity) {
        files = new FileHandle[capacity];
        offsets = new long[capacity];
        remaining = new long[capacity];
        marks = new long[capacity];
        release = new boolean[capacity];
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    boolean isFull() {
        return count == files.length;
    }

    /** Queues a region; false (keeping nothing) when full. */
    boolean offer(FileHandle file, long offset, long length, long mark, boolean releaseWhenDone) {
        if (isFull()) {
            return false;
        }
        int index = (head + count) % files.length;
        files[index] = file;
        offsets[index] = offset;
        remaining[index] = length;
        marks[index] = mark;
        release[index] = releaseWhenDone;
        count++;
        return true;
    }

    FileHandle headFile() {
        return files[head];
    }

    long headOffset() {
        return offsets[head];
    }

    long headRemaining() {
        return remaining[head];
    }

    /** Bytes of the connection's byte stream that go before the first region. */
    long headMark() {
        return marks[head];
    }

    /** Records {@code sent} bytes of the first region as sent; removes it once complete. */
    void advance(long sent) {
        offsets[head] += sent;
        remaining[head] -= sent;
        if (remaining[head] == 0) {
            removeHead();
        }
    }

    /** Drops every region (the connection is gone), closing the files they release. */
    void clear() {
        while (count > 0) {
            removeHead();
        }
    }

    private void removeHead() {
        FileHandle file = files[head];
        boolean closeIt = release[head];
        files[head] = null;
        head = (head + 1) % files.length;
        count--;
        if (closeIt) {
            closeQuietly(file);
        }
    }

    static void closeQuietly(FileHandle file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // a read-only file: nothing was lost, and the region has ended either way
        }
    }
}

package dev.ringserver.io;

/**
 * A FIFO of completions produced inside a backend and not yet delivered, stored in parallel primitive
 * arrays so that queueing allocates nothing once warm. It grows by doubling; its size stays bounded
 * because each pending operation contributes a bounded number of entries per poll. Confined to the
 * backend's thread.
 */
public final class PendingCompletions {

    private long[] tags = new long[256];
    private int[] results = new int[256];
    private int[] flags = new int[256];
    private int head;
    private int size;

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public void add(long tag, int result, int flag) {
        if (size == tags.length) {
            grow();
        }
        int index = (head + size) & (tags.length - 1);
        tags[index] = tag;
        results[index] = result;
        flags[index] = flag;
        size++;
    }

    /**
     * Removes the oldest completion and hands it to {@code handler}. The handler may add completions.
     */
    public void deliverOne(CompletionHandler handler) {
        long tag = tags[head];
        int result = results[head];
        int flag = flags[head];
        head = (head + 1) & (tags.length - 1);
        size--;
        handler.complete(tag, result, flag);
    }

    private void grow() {
        int capacity = tags.length * 2;
        long[] newTags = new long[capacity];
        int[] newResults = new int[capacity];
        int[] newFlags = new int[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (tags.length - 1);
            newTags[i] = tags[from];
            newResults[i] = results[from];
            newFlags[i] = flags[from];
        }
        tags = newTags;
        results = newResults;
        flags = newFlags;
        head = 0;
    }
}

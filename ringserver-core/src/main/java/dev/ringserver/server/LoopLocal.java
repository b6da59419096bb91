package dev.ringserver.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A value kept once per event loop, created on first use on that loop: per-loop resources a protocol
 * shares between its connections (buffer pools, scratch memory) without locks or globals. Declare one
 * as a constant and call {@link EventLoop#local(LoopLocal)} on the loop's thread.
 *
 * @param <T> the value's type; confined to its loop
 */
public final class LoopLocal<T> {

    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

    final int index = NEXT_INDEX.getAndIncrement();
    final Function<LoopResources, T> initializer;

    /** @param initializer creates the value on the loop's thread, from the loop's resources */
    public LoopLocal(Function<LoopResources, T> initializer) {
        this.initializer = initializer;
    }
}

package dev.ringserver.spring.reactive;

import dev.ringserver.server.HttpResponse;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes a {@code Publisher<DataBuffer>} to the core response with back-pressure: one buffer is
 * requested at a time, and the next only while the response {@link HttpResponse#isWritable()} (else
 * after {@link HttpResponse#whenWritable}), so a slow client holds at most the core's response buffer
 * plus one buffer of the body in memory. A large buffer goes out in {@value #SLICE_BYTES}-byte slices,
 * each when the response can take it, so no single write overruns the connection's outbound limit.
 *
 * <p>When it ends the response ({@code endAtComplete}), the last bytes go out with
 * {@link HttpResponse#end(java.lang.foreign.MemorySegment, long, long)}: a {@code Mono} body (which
 * {@code AbstractServerHttpResponse} uses for a single buffer) is held until it completes, so it gets
 * a {@code Content-Length} and leaves with the head in one write. Otherwise (an inner publisher of
 * {@code writeAndFlushWith}) each buffer is written at once, and the core sends what it is given
 * without delay, which is what streaming needs.
 *
 * <p>Every buffer received is released exactly once: after it was copied to the connection, or when
 * the write is cancelled, fails or finds the exchange over. Signals may arrive on any thread; all state
 * is touched on the event loop only.
 */
final class ResponseBodyWriter implements CoreSubscriber<DataBuffer> {

    /** The most handed to the core at once; with its 64 KiB response buffer, 4 MiB outbound limit is far. */
    static final int SLICE_BYTES = 64 * 1024;

    private final ExchangeBridge bridge;
    private final MonoSink<Void> sink;
    private final boolean hold;
    private final boolean endAtComplete;
    private final Runnable pumpTask = this::pump;
    private final Runnable requestTask = this::requestNext;
    private volatile @Nullable Subscription upstream;
    private volatile boolean cancelled;

    // Loop-confined.
    private @Nullable DataBuffer current;
    private DataBuffer.@Nullable ByteBufferIterator currentBuffers;
    private MemorySegment segment = MemorySegment.NULL;
    private long position;
    private boolean upstreamDone;
    private boolean finished;

    private ResponseBodyWriter(ExchangeBridge bridge, MonoSink<Void> sink, boolean hold, boolean endAtComplete) {
        this.bridge = bridge;
        this.sink = sink;
        this.hold = hold;
        this.endAtComplete = endAtComplete;
    }

    /**
     * Writes {@code body}; the returned {@code Mono} completes once the last byte was handed to the core
     * (and the response ended, when {@code endAtComplete}).
     */
    static Mono<Void> write(ExchangeBridge bridge, Publisher<? extends DataBuffer> body, boolean endAtComplete) {
        boolean single = body instanceof Mono;
        return Mono.create(sink -> {
            ResponseBodyWriter writer = new ResponseBodyWriter(bridge, sink, single && endAtComplete, endAtComplete);
            sink.onCancel(writer::cancelled);
            body.subscribe(writer);
        });
    }

    /** Ends the response (committing it first if nothing was written); completes when done. */
    static Mono<Void> end(ExchangeBridge bridge) {
        return Mono.create(sink -> {
            Runnable end = () -> {
                Throwable failure = bridge.isDone() ? bridge.doneCause() : bridge.end(MemorySegment.NULL, 0, 0);
                if (failure != null) {
                    sink.error(failure);
                } else {
                    sink.success();
                }
            };
            try {
                bridge.execute(end);
            } catch (RejectedExecutionException stopping) {
                sink.error(new AbortedException("the event loop refused the write: " + stopping.getMessage(), stopping));
            }
        });
    }

    @Override
    public Context currentContext() {
        return Context.of(sink.contextView());
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        if (Operators.validate(upstream, subscription)) {
            upstream = subscription;
            if (cancelled) {
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }
    }

    @Override
    public void onNext(DataBuffer buffer) {
        if (bridge.inLoop()) {
            next(buffer);
            return;
        }
        try {
            bridge.loop().execute(() -> next(buffer));
        } catch (RejectedExecutionException stopping) {
            DataBufferUtils.release(buffer);
            cancelUpstream();
            sink.error(new AbortedException("the event loop refused the write: " + stopping.getMessage(), stopping));
        }
    }

    @Override
    public void onError(Throwable failure) {
        onLoop(() -> fail(failure));
    }

    @Override
    public void onComplete() {
        onLoop(this::completed);
    }

    /** The subscriber of the write cancelled it (the handler was cancelled, e.g. by a disconnect). */
    private void cancelled() {
        cancelled = true;
        cancelUpstream();
        onLoop(() -> {
            if (!finished) {
                finished = true;
                releaseCurrent();
                bridge.writerFinished(this);
            }
        });
    }

    /** The exchange was aborted while this write was going on. Loop only. */
    void abort(AbortedException cause) {
        fail(cause);
    }

    // ---- the loop

    private void onLoop(Runnable task) {
        try {
            bridge.execute(task);
        } catch (RejectedExecutionException stopping) {
            cancelUpstream();
            sink.error(new AbortedException("the event loop refused the write: " + stopping.getMessage(), stopping));
        }
    }

    private void next(DataBuffer buffer) {
        if (finished) {
            DataBufferUtils.release(buffer);
            return;
        }
        if (bridge.isDone()) {
            DataBufferUtils.release(buffer);
            fail(bridge.doneCause());
            return;
        }
        bridge.writerStarted(this);
        current = buffer;
        position = 0;
        currentBuffers = buffer.readableByteBuffers();
        segment = segmentOf(buffer, currentBuffers);
        if (!hold) {
            pump();
        }
    }

    private void completed() {
        if (finished) {
            return;
        }
        upstreamDone = true;
        if (current == null) {
            finish();
        } else if (hold) {
            if (segment.byteSize() > SLICE_BYTES && !bridge.isDone()) {
                // Too big for one end(): it goes in slices, so declare the length the single end() would have.
                Throwable failure = bridge.declareLength(segment.byteSize());
                if (failure != null) {
                    fail(failure);
                    return;
                }
            }
            pump();
        }
        // else a buffer is being written: pump waits for the response to drain and ends with its last slice
    }

    private void pump() {
        while (current != null && !finished) {
            if (bridge.isDone()) {
                fail(bridge.doneCause());
                return;
            }
            long remaining = segment.byteSize() - position;
            if (upstreamDone && endAtComplete && remaining <= SLICE_BYTES) {
                DataBuffer last = current;
                current = null; // the core may abort inside end(): nothing left to release twice
                Throwable failure = bridge.end(segment, position, remaining);
                release(last);
                if (failure != null) {
                    fail(failure);
                } else {
                    succeed();
                }
                return;
            }
            HttpResponse response = bridge.response();
            if (!response.isWritable()) {
                response.whenWritable(pumpTask);
                return;
            }
            long length = Math.min(remaining, SLICE_BYTES);
            Throwable failure = bridge.write(segment, position, length);
            if (failure != null) {
                fail(failure);
                return;
            }
            position += length;
            if (position == segment.byteSize()) {
                releaseCurrent();
            }
        }
        if (finished) {
            return;
        }
        if (upstreamDone) {
            finish();
        } else {
            requestNext();
        }
    }

    private void requestNext() {
        if (finished) {
            return;
        }
        if (bridge.isDone()) {
            fail(bridge.doneCause());
            return;
        }
        HttpResponse response = bridge.response();
        if (response.isWritable()) {
            Subscription subscription = upstream;
            if (subscription != null) {
                subscription.request(1);
            }
        } else {
            response.whenWritable(requestTask);
        }
    }

    /** The body is complete and written. */
    private void finish() {
        if (endAtComplete) {
            Throwable failure = bridge.isDone() ? bridge.doneCause() : bridge.end(MemorySegment.NULL, 0, 0);
            if (failure != null) {
                fail(failure);
                return;
            }
        }
        succeed();
    }

    private void succeed() {
        finished = true;
        bridge.writerFinished(this);
        sink.success();
    }

    private void fail(Throwable failure) {
        if (finished) {
            return;
        }
        finished = true;
        releaseCurrent();
        bridge.writerFinished(this);
        cancelUpstream();
        sink.error(failure);
    }

    private void cancelUpstream() {
        Subscription subscription = upstream;
        if (subscription != null) {
            subscription.cancel();
        }
    }

    private void releaseCurrent() {
        DataBuffer buffer = current;
        current = null;
        if (buffer != null) {
            release(buffer);
        }
    }

    private void release(DataBuffer buffer) {
        DataBuffer.ByteBufferIterator buffers = currentBuffers;
        currentBuffers = null;
        segment = MemorySegment.NULL;
        if (buffers != null) {
            buffers.close();
        }
        DataBufferUtils.release(buffer);
    }

    /**
     * The buffer's readable bytes as one segment, without copying when it has one backing buffer (as
     * {@code DefaultDataBuffer} has); the iterator stays open until the buffer is released, since some
     * buffers lend their memory only for that long.
     */
    private static MemorySegment segmentOf(DataBuffer buffer, DataBuffer.ByteBufferIterator buffers) {
        if (!buffers.hasNext()) {
            return MemorySegment.NULL;
        }
        ByteBuffer first = buffers.next();
        if (!buffers.hasNext()) {
            return MemorySegment.ofBuffer(first);
        }
        byte[] gathered = new byte[buffer.readableByteCount()];
        int length = first.remaining();
        first.get(gathered, 0, length);
        while (buffers.hasNext()) {
            ByteBuffer next = buffers.next();
            int n = next.remaining();
            next.get(gathered, length, n);
            length += n;
        }
        return MemorySegment.ofArray(gathered);
    }
}

package dev.ringserver.spring.reactive;

import dev.ringserver.server.BodyListener;
import dev.ringserver.server.RequestBody;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * A request body as a {@code Flux<DataBuffer>} whose demand drives the core's reads: one
 * {@link RequestBody#read} per requested buffer, none before the first request, so a slow subscriber
 * slows the client through TCP flow control and {@code 100 Continue} is only sent once the body is
 * wanted. Each piece is copied once, into a buffer the subscriber owns (the core reuses its memory
 * when {@code onData} returns).
 *
 * <p>One subscriber only: the body is read from the socket once. {@link #request} and {@link #cancel}
 * may come from any thread; reads and signals happen on the event loop. Cancelling stops reading; the
 * core discards what the client still sends (or closes the connection) after the response.
 */
final class RequestBodyFlux extends Flux<DataBuffer> implements org.reactivestreams.Subscription, BodyListener {

    private static final AtomicIntegerFieldUpdater<RequestBodyFlux> SUBSCRIBED =
            AtomicIntegerFieldUpdater.newUpdater(RequestBodyFlux.class, "subscribed");
    private static final AtomicLongFieldUpdater<RequestBodyFlux> DEMAND =
            AtomicLongFieldUpdater.newUpdater(RequestBodyFlux.class, "demand");

    private final ExchangeBridge bridge;
    private final RequestBody body;
    private final DataBufferFactory bufferFactory;
    private final Runnable pump = this::pump;
    private volatile int subscribed;
    private volatile long demand;
    private volatile boolean cancelled;
    private CoreSubscriber<? super DataBuffer> actual;

    // Loop-confined.
    private boolean reading;
    private boolean terminated;

    RequestBodyFlux(ExchangeBridge bridge, RequestBody body, DataBufferFactory bufferFactory) {
        this.bridge = bridge;
        this.body = body;
        this.bufferFactory = bufferFactory;
    }

    @Override
    public void subscribe(CoreSubscriber<? super DataBuffer> subscriber) {
        if (!SUBSCRIBED.compareAndSet(this, 0, 1)) {
            Operators.error(subscriber, new IllegalStateException(
                    "The request body can only be subscribed to once: it is read from the connection as it arrives"));
            return;
        }
        actual = subscriber;
        subscriber.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            runOnLoop(() -> terminate(new IllegalArgumentException("§3.9: request must be positive, was " + n)));
            return;
        }
        // Only the move from no demand to some needs to start a read; with demand left, onData goes on reading.
        if (Operators.addCap(DEMAND, this, n) == 0) {
            runOnLoop(pump);
        }
    }

    @Override
    public void cancel() {
        cancelled = true; // a read already asked for cannot be withdrawn: its data is dropped when it comes
    }

    // ---- the loop

    private void runOnLoop(Runnable task) {
        try {
            bridge.execute(task);
        } catch (RejectedExecutionException stopping) {
            cancelled = true;
            actual.onError(new AbortedException("the event loop refused the read: " + stopping.getMessage(), stopping));
        }
    }

    private void pump() {
        if (reading || terminated || cancelled || demand == 0) {
            return;
        }
        if (bridge.isDone()) {
            terminate(bridge.doneCause());
            return;
        }
        reading = true;
        try {
            body.read(this);
        } catch (IllegalStateException e) {
            reading = false;
            terminate(e);
        }
    }

    @Override
    public void onData(MemorySegment data, long offset, int length) {
        reading = false;
        if (cancelled || terminated) {
            return;
        }
        byte[] copy = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, copy, 0, length);
        actual.onNext(bufferFactory.wrap(copy));
        // Decremented after onNext, so a request(1) made inside it does not start a second read meanwhile.
        if (Operators.produced(DEMAND, this, 1) > 0) {
            pump();
        }
    }

    @Override
    public void onEnd() {
        reading = false;
        if (!cancelled && !terminated) {
            terminated = true;
            actual.onComplete();
        }
    }

    /**
     * The core fails a pending read just before it aborts the exchange. The error is delivered in a
     * later loop task, after the abort has cancelled the handler: a body inside the handler's pipeline
     * then ends quietly with it instead of raising an error nobody waits for, while a subscriber outside
     * it still learns why the body stopped.
     */
    @Override
    public void onError(Throwable failure) {
        reading = false;
        if (cancelled || terminated) {
            return;
        }
        try {
            bridge.loop().execute(() -> terminate(new AbortedException("the request body cannot be completed: "
                    + failure.getMessage(), failure)));
        } catch (RejectedExecutionException stopping) {
            terminate(new AbortedException("the request body cannot be completed", failure));
        }
    }

    /** The exchange is over (response ended or aborted): a pending read gets no more data. Loop only. */
    void exchangeDone() {
        if (reading) {
            reading = false; // the core dropped it: it drains or closes now
            terminate(bridge.doneCause());
        }
        // Not reading: the next pump sees bridge.isDone() and ends the body then.
    }

    private void terminate(Throwable failure) {
        if (terminated) {
            return;
        }
        terminated = true;
        if (!cancelled) {
            actual.onError(failure);
        }
    }
}

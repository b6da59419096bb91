package dev.ringserver.spring.reactive;

import dev.ringserver.io.FileHandle;
import dev.ringserver.server.EventLoop;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One request's link between Spring, whose signals may come from any thread, and the core exchange,
 * which is confined to its event loop and serves the connection's next request as soon as this
 * response has ended. Every call into the core goes through here, on the loop, and stops once the
 * exchange is done: a late signal (a body read after the response, a write racing a disconnect) must
 * never reach the next request on the same connection.
 *
 * <p>It also subscribes to the handler's {@code Mono<Void>}: completion ends a response nobody ended,
 * an error becomes a 500 before the head was sent and an abort after, and a client disconnect (the
 * core's abort listener, {@link #accept}) cancels the handler, the write in progress and the body.
 *
 * <p>Fields without {@code volatile} are confined to the loop.
 */
final class ExchangeBridge implements CoreSubscriber<Void>, Consumer<Throwable> {

    private static final Log LOG = LogFactory.getLog(RingHttpHandlerAdapter.class);

    private final HttpExchange exchange;
    private final EventLoop loop;
    private final HttpResponse response;
    private @Nullable RingServerHttpResponse springResponse;
    private @Nullable RequestBodyFlux body;
    private volatile @Nullable Subscription handler;
    private volatile boolean handlerCancelled;

    private boolean headApplied;
    private boolean done;
    private @Nullable AbortedException aborted;
    private @Nullable ResponseBodyWriter writer;

    ExchangeBridge(HttpExchange exchange) {
        this.exchange = exchange;
        this.loop = exchange.loop();
        this.response = exchange.response();
    }

    /** Connects the Spring side; on the loop, before the handler runs. */
    void bind(RingServerHttpResponse springResponse, RequestBodyFlux body) {
        this.springResponse = springResponse;
        this.body = body;
    }

    // ---- the loop

    EventLoop loop() {
        return loop;
    }

    boolean inLoop() {
        return loop.inLoop();
    }

    /**
     * Runs {@code task} on the loop: at once when already there (a handler that never leaves the loop
     * costs no hop), else queued behind the loop's other tasks.
     *
     * @throws RejectedExecutionException when the loop is stopping or its queue is full
     */
    void execute(Runnable task) {
        if (loop.inLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** Whether the core exchange is no longer this request's (response ended or exchange aborted). Loop only. */
    boolean isDone() {
        return done;
    }

    /** Why nothing more can be read or written. Loop only, once {@link #isDone()}. */
    Throwable doneCause() {
        return aborted != null ? aborted : new IllegalStateException("the response has already ended");
    }

    /** The core response, for {@code isWritable}/{@code whenWritable}. Loop only, while not done. */
    HttpResponse response() {
        return response;
    }

    // ---- writing, on the loop while not done; each returns the failure instead of throwing it

    /** Writes body bytes, giving the core Spring's status and headers before the first. */
    @Nullable Throwable write(MemorySegment data, long offset, long length) {
        try {
            applyHead();
            response.write(data, offset, length);
        } catch (RuntimeException e) {
            return e;
        }
        return done ? doneCause() : null; // the core aborts the connection when it cannot queue the bytes
    }

    /** Writes the last bytes and ends the response; with nothing sent before, length becomes Content-Length. */
    @Nullable Throwable end(MemorySegment data, long offset, long length) {
        try {
            applyHead();
            response.end(data, offset, length);
        } catch (RuntimeException e) {
            return e;
        }
        if (aborted != null) {
            return aborted; // e.g. fewer bytes than the declared Content-Length: the core aborted
        }
        ended();
        return null;
    }

    /**
     * Sends a file region as the rest of the body and ends the response. The core takes the file
     * over, also when the exchange is already over (then it is closed here).
     */
    @Nullable Throwable endWithFile(FileHandle file, long position, long count) {
        if (done) {
            closeQuietly(file);
            return doneCause();
        }
        try {
            applyHead();
            response.sendFile(file, position, count); // closes the file whatever happens
            response.end();
        } catch (RuntimeException e) {
            return e;
        }
        if (aborted != null) {
            return aborted;
        }
        ended();
        return null;
    }

    private static void closeQuietly(FileHandle file) {
        try {
            file.close();
        } catch (java.io.IOException ignored) {
            // read-only: nothing to lose
        }
    }

    /** Declares the body length when Spring did not, before the head is sent. */
    @Nullable Throwable declareLength(long length) {
        try {
            applyHead();
            if (!response.isCommitted() && springResponse.declaredLength() < 0) {
                response.contentLength(length);
            }
        } catch (RuntimeException e) {
            return e;
        }
        return null;
    }

    private void applyHead() {
        if (!headApplied && !response.isCommitted()) {
            headApplied = true;
            springResponse.applyTo(response);
        }
    }

    /** The response ended: from now on the core exchange belongs to the connection's next request. */
    private void ended() {
        done = true;
        writer = null;
        body.exchangeDone();
    }

    void writerStarted(ResponseBodyWriter started) {
        writer = started;
    }

    void writerFinished(ResponseBodyWriter finished) {
        if (writer == finished) {
            writer = null;
        }
    }

    // ---- the core's abort listener: the client went away, a timeout fired or the connection failed

    @Override
    public void accept(Throwable cause) {
        if (done) {
            return;
        }
        abort(new AbortedException("the client disconnected or the connection failed before the response ended", cause));
    }

    private void abort(AbortedException cause) {
        done = true;
        aborted = cause;
        handlerCancelled = true;
        Subscription subscription = handler;
        if (subscription != null) {
            subscription.cancel();
        }
        ResponseBodyWriter active = writer;
        writer = null;
        if (active != null) {
            active.abort(cause);
        }
        body.exchangeDone();
    }

    // ---- the handler's Mono<Void>

    @Override
    public void onSubscribe(Subscription subscription) {
        handler = subscription;
        if (handlerCancelled) {
            subscription.cancel(); // aborted before the handler's Mono was subscribed to
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(Void ignored) {
    }

    @Override
    public void onError(Throwable failure) {
        try {
            execute(() -> failed(failure));
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Handler failed while the server was stopping", failure);
        }
    }

    @Override
    public void onComplete() {
        try {
            execute(this::completed);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Handler completed while the server was stopping; its connection is closed");
        }
    }

    private void completed() {
        if (done) {
            return;
        }
        if (!springResponse.isCommitted()) {
            // A bare HttpHandler may complete without writing or calling setComplete(): commit and end now.
            springResponse.setComplete().subscribe(null, this::onError);
        } else {
            // Committed, but the write it started is not over (it was not part of the handler's Mono):
            // the handler is done, so is the response, as with Reactor Netty.
            Throwable failure = end(MemorySegment.NULL, 0, 0);
            if (failure != null) {
                failed(failure);
            }
        }
    }

    private void failed(Throwable failure) {
        if (done) {
            if (aborted == null && LOG.isDebugEnabled()) {
                LOG.debug("Handler failed after its response ended", failure);
            }
            return;
        }
        if (!response.isCommitted()) {
            done = true;
            ResponseBodyWriter active = writer;
            writer = null;
            if (active != null) {
                active.abort(new AbortedException("the handler failed", failure));
            }
            body.exchangeDone();
            exchange.fail(failure); // a 500 with Connection: close; the core logs it
            return;
        }
        // The head is out: the client can only learn of the failure from a broken message.
        if (LOG.isDebugEnabled()) {
            LOG.debug("Handler failed after the response was committed; aborting the connection", failure);
        }
        abort(new AbortedException("the handler failed after the response was committed", failure));
        response.abort();
    }
}

package dev.ringserver.server;

import dev.ringserver.http.HttpStatus;
import dev.ringserver.http.RequestHead;
import dev.ringserver.http.ResponseHeadWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One request seen by a {@link BlockingHttpHandler}: a copy of the request head, the body as an
 * {@link InputStream} and the response as status, fields and an {@link OutputStream}.
 *
 * <p>Status and fields are kept here until the response is committed: when the body stream is first
 * flushed (explicitly or because its {@value #BUFFER_BYTES}-byte buffer filled) or closed. A response
 * that fits in the buffer therefore goes out with a {@code Content-Length} in one write. Writes wait
 * while the connection's response buffer is full, so a slow client slows the handler.
 *
 * <p>Meant for the one thread that runs the handler (or threads it hands the exchange to in turn);
 * not for concurrent use, except that the request body and the response body may be used by two
 * threads at once.
 */
public final class BlockingExchange {

    static final int BUFFER_BYTES = 16 * 1024;
    private static final long QUEUE_FULL_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final HttpExchange exchange;
    private final EventLoop loop;
    private final RequestHead request;
    private final InetSocketAddress remoteAddress;
    private final BlockingRequestBody requestBody;
    private final BlockingResponseBody responseBody;
    private final List<String> fields = new ArrayList<>();
    private int status = HttpStatus.OK;
    private long contentLength = -1;
    private volatile boolean committed;
    private volatile Throwable abortCause;

    private BlockingExchange(HttpExchange exchange) {
        this.exchange = exchange;
        this.loop = exchange.loop();
        this.request = exchange.request().copy();
        this.remoteAddress = remoteAddressOf(exchange);
        this.requestBody = new BlockingRequestBody(this, exchange.body());
        this.responseBody = new BlockingResponseBody(this, exchange.response());
    }

    /** Called on the loop for each request: hands it to {@code handler} through {@code executor}. */
    static void dispatch(HttpExchange exchange, BlockingHttpHandler handler, Executor executor) {
        BlockingExchange blocking = new BlockingExchange(exchange);
        exchange.onAbort(blocking::aborted);
        try {
            executor.execute(() -> blocking.run(handler));
        } catch (RejectedExecutionException refused) {
            exchange.fail(HttpStatus.SERVICE_UNAVAILABLE, refused);
        }
    }

    /** The request head; unlike {@link HttpExchange#request()}, valid for the whole exchange. */
    public RequestHead request() {
        return request;
    }

    /** The client's address, or null when it could not be read. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The request body. Reading it sends {@code 100 Continue} if the client asked for it; a body left
     * unread is discarded by the engine after the response (within its drain limit).
     */
    public InputStream requestBody() {
        return requestBody;
    }

    /** The response body; closing it ends the response. */
    public OutputStream responseBody() {
        return responseBody;
    }

    /** Sets the status (200 to 999) before the response is committed. */
    public BlockingExchange status(int code) {
        if (code < 200 || code > 999) {
            throw new IllegalArgumentException("status must be between 200 and 999: " + code);
        }
        checkNotCommitted();
        status = code;
        return this;
    }

    /** Adds a response field before the response is committed; see {@link HttpResponse#header}. */
    public BlockingExchange header(String name, String value) {
        ResponseHeadWriter.checkName(name);
        ResponseHeadWriter.checkValue(name, value);
        if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("Transfer-Encoding is chosen by the engine; set Content-Length or leave it");
        }
        checkNotCommitted();
        if (name.equalsIgnoreCase("Content-Length")) {
            contentLength(parseLength(value));
        } else {
            fields.add(name);
            fields.add(value);
        }
        return this;
    }

    /** Declares the body length before the response is committed; the body must then be exactly this long. */
    public BlockingExchange contentLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative Content-Length: " + length);
        }
        checkNotCommitted();
        contentLength = length;
        return this;
    }

    /** Whether status and fields have been sent. */
    public boolean isCommitted() {
        return committed;
    }

    /** Whether the client went away or the connection failed; reads and writes then throw. */
    public boolean isAborted() {
        return abortCause != null;
    }

    // ---- shared with the streams

    /** Runs {@code task} on the loop, waiting a while when the loop's task queue is full. */
    void submit(Runnable task) throws IOException {
        long start = System.nanoTime();
        while (true) {
            checkNotAborted();
            try {
                loop.execute(task);
                return;
            } catch (RejectedExecutionException full) {
                if (loop.isStopping()) {
                    throw new IOException("the server is stopping", full);
                }
                if (System.nanoTime() - start > QUEUE_FULL_PATIENCE_NANOS) {
                    throw new IOException(full.getMessage(), full);
                }
                pause();
            }
        }
    }

    /** Applies status and fields to the response; on the loop, before its first write. */
    void commitOnLoop(HttpResponse response) {
        if (response.isCommitted()) {
            return;
        }
        response.status(status);
        for (int i = 0; i < fields.size(); i += 2) {
            response.header(fields.get(i), fields.get(i + 1));
        }
        if (contentLength >= 0) {
            response.contentLength(contentLength);
        }
    }

    /** Marks the head as committed; on the handler's thread, before handing the loop the first write. */
    void committing() {
        committed = true;
    }

    void checkNotAborted() throws IOException {
        Throwable cause = abortCause;
        if (cause != null) {
            throw new IOException("the exchange was aborted: " + cause.getMessage(), cause);
        }
    }

    Throwable abortCause() {
        return abortCause;
    }

    // ---- lifecycle

    private void run(BlockingHttpHandler handler) {
        try {
            handler.handle(this);
            responseBody.close();
        } catch (Throwable t) {
            if (abortCause != null) {
                return; // the client went away: the handler's failure is a consequence
            }
            committed = true;
            try {
                submit(() -> exchange.fail(HttpStatus.INTERNAL_SERVER_ERROR, t)); // a 500, or an abort once committed
            } catch (IOException gone) {
                // aborted or stopping meanwhile: the connection is gone either way
            }
        }
    }

    /** On the loop, when the exchange ends without a complete response. */
    private void aborted(Throwable cause) {
        abortCause = cause;
        requestBody.aborted(cause);
        responseBody.aborted(cause);
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("the response head has already been sent");
        }
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the event loop's task queue was full");
        }
    }

    private static InetSocketAddress remoteAddressOf(HttpExchange exchange) {
        try {
            return exchange.remoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private static long parseLength(String value) {
        String trimmed = value.trim();
        if (!trimmed.isEmpty() && trimmed.length() <= 18 && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(trimmed);
        }
        throw new IllegalArgumentException("Content-Length must be a non-negative decimal number: '" + value + "'");
    }
}

package dev.ringserver.server;

import dev.ringserver.http.ChunkedDecoder;
import dev.ringserver.http.HeadDecoder;
import dev.ringserver.http.HttpConfig;
import dev.ringserver.http.HttpMethod;
import dev.ringserver.http.HttpStatus;
import dev.ringserver.http.RequestHead;
import dev.ringserver.http.ResponseHeadWriter;
import dev.ringserver.io.Counters;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 engine for one connection: reads request heads (in place when a head fits in one
 * receive buffer, else in a head buffer), hands each request to the {@link HttpHandler}, delivers the
 * body on demand, keeps responses in request order, and decides after each response whether the
 * connection goes on (keep-alive, pipelining), drains an unread body, or closes.
 *
 * <p>Input it cannot take yet (the next pipelined request while a response is pending, body bytes the
 * handler has not asked for) stays in the receive buffer: {@link #onRead} consumes less and the
 * connection stops reading until the engine resumes it. Errors in the request get the matching status
 * with {@code Connection: close}, then a lingering close so the client can read it.
 *
 * <p>Deadlines: the request head must arrive within {@code headerTimeout} of its first byte (408); a
 * kept-alive connection may wait {@code idleTimeout} for its next request; a requested body may pause
 * at most {@code bodyTimeout} (408); a response write may wait {@code writeTimeout} for the client.
 *
 * <p>Confined to the connection's event loop.
 */
final class Http1Connection implements ConnectionHandler {

    private static final System.Logger LOG = System.getLogger(Http1Connection.class.getName());

    private static final int HEAD = 0;
    private static final int REQUEST = 1;
    private static final int DRAIN = 2;
    private static final int LINGER = 3;
    private static final int DONE = 4;

    private static final int WAIT_IDLE = 1;
    private static final int WAIT_HEADER = 2;
    private static final int WAIT_BODY = 3;
    private static final int WAIT_LINGER = 4;

    private static final MemorySegment CONTINUE = MemorySegment.ofArray(
            "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    private final Connection connection;
    private final HttpHandler handler;
    private final HttpConfig config;
    private final HttpLoopResources resources;
    private final Counters<HttpCounter> counters;
    private final HeadDecoder decoder;
    private final RequestHead head;
    private final ChunkedDecoder chunked;
    private final HttpResponse response;
    private final HttpExchange exchange;
    private final TimerWheel.Timeout readTimeout = new TimerWheel.Timeout(this::readTimedOut);
    private final TimerWheel.Timeout writeTimeout = new TimerWheel.Timeout(this::writeTimedOut);
    private final Runnable resume = this::resumeInput;

    private int state = HEAD;
    private int waiting;
    private int headBlock = -1;
    private int headBytes;
    private boolean inRead;
    private boolean flushPending;
    private boolean resumeScheduled;
    private int requestCount;
    private boolean requestActive;
    private boolean closeAfterResponse;
    private long bodyRemaining;
    private boolean bodyChunked;
    private boolean bodyDone;
    private boolean continueSent;
    private long drained;
    private BodyListener demand;

    Http1Connection(Connection connection, HttpHandler handler, HttpConfig config, HttpLoopResources resources) {
        this.connection = connection;
        this.handler = handler;
        this.config = config;
        this.resources = resources;
        this.counters = resources.loop().httpCounters();
        this.decoder = new HeadDecoder(config);
        this.head = new RequestHead(config.maxHeaderCount());
        this.chunked = new ChunkedDecoder(config);
        this.response = new HttpResponse(this, resources);
        this.exchange = new HttpExchange(this, head, new RequestBody(this), response);
    }

    /** A factory serving {@code handler} on every accepted connection. */
    static ConnectionHandler.Factory factory(HttpHandler handler, HttpConfig config) {
        LoopLocal<HttpLoopResources> resources = new LoopLocal<>(loop -> new HttpLoopResources(loop, config));
        return connection -> new Http1Connection(connection, handler, config, connection.loop().local(resources));
    }

    EventLoop loop() {
        return resources.loop();
    }

    Connection connection() {
        return connection;
    }

    // ---- ConnectionHandler

    @Override
    public void onOpen(Connection c) {
        waitFor(WAIT_IDLE, config.idleTimeout().toNanos());
    }

    @Override
    public int onRead(Connection c, MemorySegment data, int offset, int length) {
        inRead = true;
        int consumed;
        try {
            consumed = process(data, offset, offset + length) - offset;
        } finally {
            inRead = false;
        }
        flushIfPending();
        return consumed;
    }

    @Override
    public void onInputClosed(Connection c) {
        switch (state) {
            case REQUEST -> abort(new IOException(bodyDone ? "client disconnected" : "client closed before sending the whole body"));
            case LINGER, DONE -> connection.close();
            default -> finish(); // an idle connection, a partial head or a body being drained
        }
    }

    @Override
    public void onWritable(Connection c) {
        loop().cancel(writeTimeout);
        if (requestActive) {
            response.onWritable();
        } else if (state == HEAD && connection.isReadingPaused()) {
            scheduleResume(); // pipelined requests waited for the responses to drain
        }
    }

    @Override
    public void onShutdown(Connection c) {
        if (state == HEAD && !requestActive && headBytes == 0 && !decoder.started()) {
            finish();
        } else {
            closeAfterResponse = true;
        }
    }

    @Override
    public void onClosed(Connection c, Throwable cause) {
        loop().cancel(readTimeout);
        loop().cancel(writeTimeout);
        releaseHeadBuffer();
        if (requestActive) {
            requestActive = false;
            counters.add(HttpCounter.REQUESTS_ACTIVE, -1);
            IOException gone = new IOException("connection closed before the response ended", cause);
            failDemand(gone);
            abortExchange(gone);
        }
        state = DONE;
    }

    // ---- input

    private int process(MemorySegment data, int position, int end) {
        while (true) {
            switch (state) {
                case HEAD -> {
                    if (position == end || connection.queuedBytes() >= config.responseBufferBytes()
                            || connection.queuedFileRegions() > 0) {
                        return position; // nothing left, or responses must drain before the next request
                    }
                    position = readHead(data, position, end);
                    if (state == HEAD) {
                        return position;
                    }
                }
                case REQUEST -> {
                    if (!bodyDone) {
                        if (demand == null || position == end) {
                            return position;
                        }
                        position = readBody(data, position, end);
                    } else if (demand != null) {
                        endBody();
                    } else {
                        return position; // the next request waits for this response
                    }
                }
                case DRAIN -> {
                    // The chunked decoder stops after each chunk's data: go on until the input is used up.
                    if (position == end) {
                        return position;
                    }
                    int next = drain(data, position, end);
                    if (next == position && state == DRAIN) {
                        return position; // no progress: wait for more input
                    }
                    position = next;
                }
                default -> {
                    return end; // lingering or closed: discard
                }
            }
        }
    }

    private int readHead(MemorySegment data, int position, int end) {
        if (waiting != WAIT_HEADER) {
            waitFor(WAIT_HEADER, config.headerTimeout().toNanos()); // counted from the first byte, never reset
        }
        int result;
        int consumed;
        if (headBytes == 0) {
            result = decoder.decode(data, position, end - position, head);
            consumed = result > 0 ? result : end - position;
            if (result == HeadDecoder.NEED_MORE && !bufferHead(data, position, end - position)) {
                return end;
            }
        } else {
            MemorySegment buffer = resources.headBuffers().segment(headBlock);
            int room = (int) buffer.byteSize() - headBytes;
            if (room == 0) {
                respondError(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE); // the scanner's limits make this unreachable
                return end;
            }
            int take = Math.min(room, end - position);
            MemorySegment.copy(data, position, buffer, headBytes, take);
            result = decoder.decode(buffer, 0, headBytes + take, head);
            consumed = result > 0 ? result - headBytes : take;
            headBytes = result == HeadDecoder.NEED_MORE ? headBytes + take : 0;
        }
        if (result < 0) {
            respondError(-result);
            return end;
        }
        if (result > 0) {
            startRequest();
        }
        return position + consumed;
    }

    /** Copies the start of a head that continues in the next receive buffer. */
    private boolean bufferHead(MemorySegment data, int position, int length) {
        if (headBlock < 0) {
            headBlock = resources.headBuffers().take();
            if (headBlock < 0) {
                respondError(HttpStatus.SERVICE_UNAVAILABLE); // the loop's head-buffer pool is exhausted
                return false;
            }
        }
        MemorySegment.copy(data, position, resources.headBuffers().segment(headBlock), 0, length);
        headBytes = length;
        return true;
    }

    private int readBody(MemorySegment data, int position, int end) {
        BodyListener listener = demand;
        int consumed;
        long dataOffset;
        int dataLength;
        if (bodyChunked) {
            consumed = chunked.decode(data, position, end - position);
            if (chunked.error() != 0) {
                bodyFailed(chunked.error());
                return end;
            }
            dataOffset = chunked.dataOffset();
            dataLength = chunked.dataLength();
            bodyDone = chunked.isDone();
        } else {
            dataLength = (int) Math.min(bodyRemaining, end - position);
            dataOffset = position;
            consumed = dataLength;
            bodyRemaining -= dataLength;
            bodyDone = bodyRemaining == 0;
        }
        if (dataLength > 0) {
            demand = null;
            stopWaiting();
            try {
                listener.onData(data, dataOffset, dataLength);
            } catch (Throwable t) {
                handlerFailed(t);
            }
        }
        return position + consumed;
    }

    private int drain(MemorySegment data, int position, int end) {
        int consumed;
        long dataLength;
        if (bodyChunked) {
            consumed = chunked.decode(data, position, end - position);
            if (chunked.error() != 0) {
                finish();
                return end;
            }
            dataLength = chunked.dataLength();
            bodyDone = chunked.isDone();
        } else {
            consumed = (int) Math.min(bodyRemaining, end - position);
            dataLength = consumed;
            bodyRemaining -= consumed;
            bodyDone = bodyRemaining == 0;
        }
        drained += dataLength;
        if (drained > config.maxDrainBytes()) {
            finish();
            return end;
        }
        if (bodyDone) {
            nextRequest();
        }
        return position + consumed;
    }

    // ---- requests

    private void startRequest() {
        stopWaiting();
        requestCount++;
        requestActive = true;
        counters.increment(HttpCounter.REQUESTS);
        counters.increment(HttpCounter.REQUESTS_ACTIVE);
        bodyChunked = head.isChunked();
        bodyRemaining = bodyChunked ? 0 : Math.max(0, head.contentLength());
        bodyDone = !bodyChunked && bodyRemaining == 0;
        if (bodyChunked) {
            chunked.reset();
        }
        continueSent = false;
        demand = null;
        drained = 0;
        int limit = config.maxRequestsPerConnection();
        closeAfterResponse = !head.keepAlive() || (limit > 0 && requestCount >= limit) || loop().isDraining();
        response.begin(head.minorVersion(), head.method() == HttpMethod.HEAD);
        exchange.begin();
        state = REQUEST;
        try {
            handler.handle(exchange);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    void read(BodyListener listener) {
        if (!loop().inLoop()) {
            loop().execute(() -> read(listener));
            return;
        }
        if (!requestActive || state != REQUEST) {
            throw new IllegalStateException("the exchange is over");
        }
        if (demand != null) {
            throw new IllegalStateException("a body read is already pending");
        }
        demand = listener;
        if (head.expectsContinue() && !continueSent && !bodyDone && !response.isCommitted()) {
            continueSent = true;
            connection.write(CONTINUE, 0, CONTINUE.byteSize());
            requestFlush();
        }
        if (inRead) {
            if (!bodyDone) {
                waitFor(WAIT_BODY, config.bodyTimeout().toNanos()); // cancelled when data arrives
            }
            return; // the input loop delivers
        }
        if (bodyDone) {
            endBody();
        } else {
            waitFor(WAIT_BODY, config.bodyTimeout().toNanos());
            scheduleResume();
        }
    }

    private void endBody() {
        BodyListener listener = demand;
        demand = null;
        try {
            listener.onEnd();
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    /** Called by the response once it has ended. */
    void responseEnded() {
        requestActive = false;
        counters.add(HttpCounter.REQUESTS_ACTIVE, -1);
        demand = null;
        exchange.ended();
        releaseHeadBuffer();
        if (closeAfterResponse || response.closeRequested()) {
            finish();
            return;
        }
        if (!bodyDone) {
            if (unreadBodyForcesClose()) {
                finish();
                return;
            }
            state = DRAIN;
            waitFor(WAIT_BODY, config.bodyTimeout().toNanos());
            scheduleResume();
            return;
        }
        nextRequest();
    }

    /**
     * The client may be waiting for a 100 Continue it will not get, or send a body too large to
     * discard: then closing is the only safe end once the response is over.
     */
    private boolean unreadBodyForcesClose() {
        boolean waitingForContinue = head.expectsContinue() && !continueSent;
        return !bodyDone && (waitingForContinue || (!bodyChunked && bodyRemaining > config.maxDrainBytes()));
    }

    private void nextRequest() {
        if (loop().isDraining()) {
            finish();
            return;
        }
        state = HEAD;
        decoder.reset();
        headBytes = 0;
        waitFor(WAIT_IDLE, config.idleTimeout().toNanos());
        scheduleResume();
    }

    // ---- errors and endings

    private void respondError(int status) {
        countError(status);
        state = LINGER;
        byte[] text = (status + " " + HttpStatus.reason(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        ResponseHeadWriter writer = resources.headWriter().start(status)
                .field("Content-Type", "text/plain")
                .field("Content-Length", text.length)
                .field("Connection", "close")
                .end();
        connection.write(writer.bytes(), 0, writer.length());
        connection.write(MemorySegment.ofArray(text), 0, text.length);
        requestFlush();
        connection.closeOutput();
        waitFor(WAIT_LINGER, config.lingerTimeout().toNanos());
    }

    private void countError(int status) {
        HttpCounter counter = HttpCounter.forStatus(status);
        if (counter != null) {
            counters.increment(counter);
        }
    }

    private void bodyFailed(int status) {
        IOException failure = new IOException("request body failed: " + status + " " + HttpStatus.reason(status));
        failDemand(failure);
        if (requestActive && !response.isCommitted()) {
            abortExchange(failure);
            requestActive = false;
            counters.add(HttpCounter.REQUESTS_ACTIVE, -1);
            respondError(status); // counts the status
        } else {
            countError(status); // the response started: the status cannot be sent, but the error happened
            abort(failure);
        }
    }

    private void handlerFailed(Throwable t) {
        handlerFailed(HttpStatus.INTERNAL_SERVER_ERROR, t);
    }

    /** Answers {@code status} if nothing was sent yet, else aborts; ignored once the exchange is over. */
    void handlerFailed(int status, Throwable t) {
        if (!requestActive) {
            return;
        }
        counters.increment(status == HttpStatus.SERVICE_UNAVAILABLE ? HttpCounter.ERRORS_503 : HttpCounter.HANDLER_FAILURES);
        if (status >= 500 && status != HttpStatus.SERVICE_UNAVAILABLE) {
            LOG.log(System.Logger.Level.WARNING, "HTTP handler failed for " + head, t);
        }
        if (!response.isCommitted()) {
            closeAfterResponse = true;
            response.sendError(status);
        } else {
            abort(t);
        }
    }

    /** Closes the connection at once, ending the exchange without a complete response. */
    void abort(Throwable cause) {
        state = DONE;
        if (requestActive) {
            requestActive = false;
            counters.add(HttpCounter.REQUESTS_ACTIVE, -1);
            failDemand(cause);
            abortExchange(cause);
        }
        connection.abort();
    }

    private void abortExchange(Throwable cause) {
        counters.increment(HttpCounter.ABORTED);
        exchange.aborted(cause);
    }

    private void failDemand(Throwable cause) {
        BodyListener listener = demand;
        demand = null;
        if (listener != null) {
            try {
                listener.onError(cause);
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Closes after what is queued has been sent. */
    private void finish() {
        state = DONE;
        stopWaiting();
        connection.close();
    }

    // ---- timeouts

    private void waitFor(int what, long nanos) {
        waiting = what;
        loop().schedule(readTimeout, nanos, TimeUnit.NANOSECONDS);
    }

    private void stopWaiting() {
        waiting = 0;
        loop().cancel(readTimeout);
    }

    private void readTimedOut() {
        int what = waiting;
        waiting = 0;
        switch (what) {
            case WAIT_IDLE -> finish();
            case WAIT_HEADER -> {
                if (state == HEAD) {
                    respondError(HttpStatus.REQUEST_TIMEOUT);
                }
            }
            case WAIT_BODY -> {
                if (state == DRAIN) {
                    finish();
                } else if (state == REQUEST && !bodyDone) {
                    bodyFailed(HttpStatus.REQUEST_TIMEOUT);
                }
            }
            case WAIT_LINGER -> connection.abort();
            default -> {
                // cancelled meanwhile
            }
        }
    }

    private void writeTimedOut() {
        if (connection.queuedBytes() == 0) {
            return;
        }
        long idle = System.nanoTime() - connection.lastWriteProgressNanos();
        long limit = config.writeTimeout().toNanos();
        if (idle < limit) {
            loop().schedule(writeTimeout, limit - idle, TimeUnit.NANOSECONDS);
        } else {
            abort(new IOException("the client read nothing for " + config.writeTimeout().toSeconds() + " s"));
        }
    }

    // ---- called by the response and body

    long declaredBodyLength() {
        return head.contentLength();
    }

    boolean bodyIsChunked() {
        return head.isChunked();
    }

    /**
     * Whether the connection closes after this response, asked when its head is written. A response
     * that ends before the handler read the body also closes when {@link #unreadBodyForcesClose()}, and
     * so does one whose client still waits for 100 Continue (RFC 9110 §10.1.1: it may never send the
     * body), so the head can announce it.
     */
    boolean closingAfterResponse(boolean ending) {
        boolean waitingForContinue = head.expectsContinue() && !continueSent && !bodyDone;
        return closeAfterResponse || waitingForContinue || (ending && unreadBodyForcesClose());
    }

    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    int responseBufferBytes() {
        return config.responseBufferBytes();
    }

    /** Sends what is queued: at the end of the current read when inside one, else now. */
    void requestFlush() {
        if (inRead) {
            flushPending = true;
        } else {
            flushNow();
        }
    }

    private void flushIfPending() {
        if (flushPending) {
            flushPending = false;
            flushNow();
        }
    }

    /** Sends what is queued at once, also inside a read. */
    void flushNow() {
        connection.flush();
        if (connection.queuedBytes() > 0 && !writeTimeout.isScheduled()) {
            loop().schedule(writeTimeout, config.writeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Offers held input again from a loop task rather than now: the caller (often a response's
     * {@code end()}) must return before the next request reuses the exchange.
     */
    private void scheduleResume() {
        if (!resumeScheduled && !inRead) {
            resumeScheduled = true;
            loop().execute(resume);
        }
    }

    private void resumeInput() {
        resumeScheduled = false;
        if (state == HEAD || state == DRAIN || (state == REQUEST && demand != null)) {
            connection.resumeReading();
            if (state == REQUEST && bodyDone && demand != null) {
                endBody();
            }
        }
    }

    private void releaseHeadBuffer() {
        if (headBlock >= 0 && headBytes == 0) {
            resources.headBuffers().give(headBlock);
            headBlock = -1;
        }
    }
}

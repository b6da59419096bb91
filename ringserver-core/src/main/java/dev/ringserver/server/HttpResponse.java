package dev.ringserver.server;

import dev.ringserver.http.HttpStatus;
import dev.ringserver.io.FileHandle;
import dev.ringserver.http.ResponseHeadWriter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The response of the current exchange. Status and fields are set first; the head is committed at the
 * first write or at {@link #end()}. Framing is chosen by the engine: {@code Content-Length} when known
 * (set, or from {@link #end(MemorySegment, long, long)}), chunked on HTTP/1.1 otherwise,
 * close-delimited on HTTP/1.0; no body for HEAD, 1xx, 204 and 304.
 *
 * <p>Any thread may call any method: off the loop, data is copied at once and the call runs on the
 * loop later, in the order made. Back-pressure: a response may queue
 * {@link dev.ringserver.http.HttpConfig#responseBufferBytes()} before {@link #isWritable()} turns
 * false; {@link #whenWritable(Runnable)} says when to go on. Writing past the connection's outbound
 * limit aborts the connection.
 */
public final class HttpResponse {

    private static final int MAX_FIELDS = 256;
    private static final MemorySegment CRLF = MemorySegment.ofArray(new byte[] {'\r', '\n'});
    private static final MemorySegment LAST_CHUNK = MemorySegment.ofArray(new byte[] {'0', '\r', '\n', '\r', '\n'});

    private final Http1Connection engine;
    private final HttpLoopResources resources;
    private String[] names = new String[16];
    private String[] values = new String[16];
    private int fieldCount;
    private int status;
    private long contentLength;
    private long written;
    private int minorVersion;
    private boolean headRequest;
    private boolean committed;
    private boolean ended;
    private boolean noBody;
    private boolean chunked;
    private boolean closeRequested;
    private Runnable writableTask;
    private volatile boolean writable = true;

    HttpResponse(Http1Connection engine, HttpLoopResources resources) {
        this.engine = engine;
        this.resources = resources;
    }

    void begin(int requestMinorVersion, boolean head) {
        clearFields();
        status = HttpStatus.OK;
        contentLength = -1;
        written = 0;
        minorVersion = requestMinorVersion;
        headRequest = head;
        committed = false;
        ended = false;
        noBody = false;
        chunked = false;
        closeRequested = false;
        writableTask = null;
        writable = true;
    }

    /** Sets the status (200 to 999); before the head is committed. */
    public HttpResponse status(int code) {
        if (code < 200 || code > 999) {
            throw new IllegalArgumentException("status must be between 200 and 999: " + code);
        }
        if (!onLoop()) {
            engine.loop().execute(() -> status(code));
            return this;
        }
        checkNotCommitted();
        status = code;
        return this;
    }

    /**
     * Adds a field (validated at once: a token name, a value without CR, LF, NUL or other controls).
     * {@code Content-Length} sets the length; {@code Transfer-Encoding} is the engine's to choose;
     * {@code Connection: close} closes the connection after this response.
     */
    public HttpResponse header(String name, String value) {
        ResponseHeadWriter.checkName(name);
        ResponseHeadWriter.checkValue(name, value);
        if (!onLoop()) {
            engine.loop().execute(() -> header(name, value));
            return this;
        }
        checkNotCommitted();
        // equalsIgnoreCase rather than a lower-cased copy: this runs for every field of every response.
        if (name.equalsIgnoreCase("Content-Length")) {
            contentLength(parseLength(value));
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("Transfer-Encoding is chosen by the engine; set Content-Length or leave it");
        } else if (name.equalsIgnoreCase("Connection")) {
            if (value.equalsIgnoreCase("close")) {
                closeRequested = true;
            }
        } else {
            add(name, value);
        }
        return this;
    }

    /** Sets the body length; the body must then be exactly this long. */
    public HttpResponse contentLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative Content-Length: " + length);
        }
        if (!onLoop()) {
            engine.loop().execute(() -> contentLength(length));
            return this;
        }
        checkNotCommitted();
        contentLength = length;
        return this;
    }

    /** Whether the head has been written (status and fields can no longer change). Loop thread. */
    public boolean isCommitted() {
        return committed;
    }

    /** Writes body bytes; off the loop they are copied first. */
    public void write(MemorySegment data, long offset, long length) {
        if (!onLoop()) {
            MemorySegment copy = copy(data, offset, length);
            engine.loop().execute(() -> write(copy, 0, length));
            return;
        }
        if (ended) {
            throw new IllegalStateException("the response has ended");
        }
        commitIfNeeded(false, 0);
        body(data, offset, length);
        engine.requestFlush();
    }

    public void write(byte[] data) {
        write(MemorySegment.ofArray(data), 0, data.length);
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} as the next part of the body,
     * sent by the kernel without copying them through user space (sendfile; a file channel's transfer
     * on NIO). Set {@link #contentLength} first for a {@code Content-Length} response; otherwise the
     * region is sent as one chunk (HTTP/1.1) or close-delimited (HTTP/1.0).
     *
     * <p>The response takes the file over: it closes it once the region has been sent, or when the
     * region is not sent at all (a HEAD request, an aborted connection, an exception from this call).
     * Open the file off the loop ({@link EventLoop#openFile}); a file shorter than the region ends
     * the connection without completing the response. Counts against {@link #isWritable()}: at most a
     * few regions may wait per connection.
     */
    public void sendFile(FileHandle file, long position, long count) {
        if (!onLoop()) {
            engine.loop().execute(() -> sendFile(file, position, count));
            return;
        }
        boolean handedOver = false;
        try {
            if (position < 0 || count < 0 || position + count > file.size()) {
                throw new IllegalArgumentException("region [" + position + ", " + position + " + " + count
                        + ") is outside the file of " + file.size() + " bytes");
            }
            if (ended) {
                throw new IllegalStateException("the response has ended");
            }
            commitIfNeeded(false, 0);
            if (noBody || count == 0) {
                return;
            }
            if (contentLength >= 0 && written + count > contentLength) {
                throw new IllegalStateException("body longer than Content-Length " + contentLength);
            }
            if (chunked) {
                MemorySegment header = resources.chunkHeaderScratch();
                append(header, 0, ResponseHeadWriter.chunkHeader(header, count));
            }
            handedOver = true;
            if (!engine.connection().writeFile(file, position, count, true)) {
                OutboundFiles.closeQuietly(file);
                engine.abort(new IllegalStateException("too many file regions queued on the connection; respect "
                        + "isWritable()/whenWritable()"));
                return;
            }
            if (chunked) {
                append(CRLF, 0, 2);
            }
            written += count;
            updateWritable();
            engine.requestFlush();
        } finally {
            if (!handedOver) {
                OutboundFiles.closeQuietly(file);
            }
        }
    }

    /**
     * Sends what has been written so far now, committing the head if nothing was written yet. Writes
     * are sent without it too, at the latest when the current loop callback returns; this is for a
     * handler that wants bytes on the wire before it goes on in the same callback. Any thread.
     */
    public void flush() {
        if (!onLoop()) {
            engine.loop().execute(this::flush);
            return;
        }
        if (ended) {
            return;
        }
        commitIfNeeded(false, 0);
        engine.flushNow();
    }

    /** Ends the response (committing the head first if needed). */
    public void end() {
        if (!onLoop()) {
            engine.loop().execute(this::end);
            return;
        }
        endWith(MemorySegment.NULL, 0, 0);
    }

    /**
     * Writes {@code data[offset, offset + length)} as the rest of the body and ends the response; when
     * nothing was committed yet, the length becomes the Content-Length and head and body leave in one
     * write.
     */
    public void end(MemorySegment data, long offset, long length) {
        if (!onLoop()) {
            MemorySegment copy = copy(data, offset, length);
            engine.loop().execute(() -> end(copy, 0, length));
            return;
        }
        endWith(data, offset, length);
    }

    public void end(byte[] data) {
        end(MemorySegment.ofArray(data), 0, data.length);
    }

    /** Whether more may be written without exceeding the response buffer. Any thread. */
    public boolean isWritable() {
        return writable;
    }

    /** Runs {@code task} on the loop as soon as the response is writable (at once if it is). Any thread. */
    public void whenWritable(Runnable task) {
        if (!onLoop()) {
            engine.loop().execute(() -> whenWritable(task));
            return;
        }
        updateWritable();
        if (writable) {
            task.run();
        } else {
            writableTask = task;
        }
    }

    /** Closes the connection without completing the response. Any thread. */
    public void abort() {
        if (!onLoop()) {
            engine.loop().execute(this::abort);
            return;
        }
        engine.abort(new java.io.IOException("response aborted by the handler"));
    }

    // ---- engine side

    boolean hasEnded() {
        return ended;
    }

    boolean closeRequested() {
        return closeRequested;
    }

    void onWritable() {
        writable = true;
        Runnable task = writableTask;
        writableTask = null;
        if (task != null) {
            task.run();
        }
    }

    /** Answers with {@code status} and a short text body, closing the connection (handler failures). */
    void sendError(int errorStatus) {
        clearFields();
        closeRequested = true;
        contentLength = -1;
        status = errorStatus;
        add("Content-Type", "text/plain");
        byte[] text = (errorStatus + " " + HttpStatus.reason(errorStatus) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        endWith(MemorySegment.ofArray(text), 0, text.length);
    }

    private void endWith(MemorySegment data, long offset, long length) {
        if (ended) {
            throw new IllegalStateException("the response has already ended");
        }
        commitIfNeeded(true, length);
        body(data, offset, length);
        if (chunked) {
            append(LAST_CHUNK, 0, LAST_CHUNK.byteSize());
        }
        ended = true;
        // The connection outlives the response: drop what the handler handed in (field values, a
        // writability callback capturing its pipeline) so that an idle keep-alive connection does
        // not keep the last request's objects reachable until the next one.
        clearFields();
        writableTask = null;
        engine.requestFlush();
        if (!noBody && contentLength >= 0 && written != contentLength) {
            engine.abort(new IllegalStateException("the body was " + written + " bytes, but Content-Length said "
                    + contentLength));
            return;
        }
        engine.responseEnded();
    }

    private void clearFields() {
        Arrays.fill(names, 0, fieldCount, null);
        Arrays.fill(values, 0, fieldCount, null);
        fieldCount = 0;
    }

    private void body(MemorySegment data, long offset, long length) {
        if (length == 0 || noBody) {
            return;
        }
        if (contentLength >= 0 && written + length > contentLength) {
            throw new IllegalStateException("body longer than Content-Length " + contentLength);
        }
        if (chunked) {
            MemorySegment header = resources.chunkHeaderScratch();
            append(header, 0, ResponseHeadWriter.chunkHeader(header, length));
            append(data, offset, length);
            append(CRLF, 0, 2);
        } else {
            append(data, offset, length);
        }
        written += length;
    }

    private void commitIfNeeded(boolean ending, long bodyLength) {
        if (committed) {
            return;
        }
        committed = true;
        boolean statusWithoutBody = HttpStatus.hasNoContent(status);
        noBody = headRequest || statusWithoutBody;
        if (ending && contentLength < 0 && !statusWithoutBody) {
            contentLength = bodyLength;
        }
        boolean close = closeRequested || engine.closingAfterResponse(ending);
        ResponseHeadWriter head = resources.headWriter().start(status);
        for (int i = 0; i < fieldCount; i++) {
            head.field(names[i], values[i]);
        }
        if (contentLength >= 0) {
            if (!statusWithoutBody || status == HttpStatus.NOT_MODIFIED) {
                head.field("Content-Length", contentLength);
            }
        } else if (!noBody) {
            if (minorVersion == 1) {
                chunked = true;
                head.field("Transfer-Encoding", "chunked");
            } else {
                close = true; // close-delimited on HTTP/1.0
            }
        }
        if (close) {
            engine.closeAfterResponse();
            head.field("Connection", "close");
        } else if (minorVersion == 0) {
            head.field("Connection", "keep-alive");
        }
        head.end();
        append(head.bytes(), 0, head.length());
    }

    private void append(MemorySegment data, long offset, long length) {
        if (!engine.connection().write(data, offset, length)) {
            engine.abort(new IllegalStateException("response exceeds the connection's outbound limit; respect "
                    + "isWritable()/whenWritable()"));
            return;
        }
        updateWritable();
    }

    private void updateWritable() {
        Connection connection = engine.connection();
        writable = connection.queuedBytes() < engine.responseBufferBytes()
                && connection.queuedFileRegions() < Connection.MAX_FILE_REGIONS / 2;
    }

    private void add(String name, String value) {
        if (fieldCount == names.length) {
            if (fieldCount == MAX_FIELDS) {
                throw new IllegalStateException("more than " + MAX_FIELDS + " response fields");
            }
            names = Arrays.copyOf(names, fieldCount * 2);
            values = Arrays.copyOf(values, fieldCount * 2);
        }
        names[fieldCount] = name;
        values[fieldCount] = value;
        fieldCount++;
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("the response head has already been sent");
        }
    }

    private boolean onLoop() {
        return engine.loop().inLoop();
    }

    private static long parseLength(String value) {
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0 && value.trim().chars().allMatch(Character::isDigit)) {
                return length;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("Content-Length must be a non-negative decimal number: '" + value + "'");
    }

    private static MemorySegment copy(MemorySegment data, long offset, long length) {
        byte[] bytes = new byte[Math.toIntExact(length)];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, bytes, 0, bytes.length);
        return MemorySegment.ofArray(bytes);
    }
}

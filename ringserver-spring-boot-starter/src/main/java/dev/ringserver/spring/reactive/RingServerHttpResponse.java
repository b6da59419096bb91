package dev.ringserver.spring.reactive;

import dev.ringserver.server.HttpResponse;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A ringserver response as a WebFlux {@link org.springframework.http.server.reactive.ServerHttpResponse}.
 *
 * <p>Status, headers and cookies live in Spring's structures until commit; {@code apply*} then takes
 * a snapshot on the committing thread, and the loop hands it to the core just before the first byte
 * (the core is loop-confined). The core adds {@code Date} and picks the framing, so a {@code Date} or
 * {@code Transfer-Encoding} header set here is not sent. A configured server header is added unless
 * the handler set its own.
 *
 * <p>Bodies go through {@link ResponseBodyWriter}: with back-pressure, ending the response with the
 * last bytes, and for {@link #writeAndFlushWith} each inner publisher is sent as soon as it completes
 * (the core flushes every write it gets outside of a socket read), which keeps server-sent events
 * streaming. Methods may be called from any thread, as Spring does.
 */
final class RingServerHttpResponse extends AbstractServerHttpResponse implements ZeroCopyHttpOutputMessage {


    private final ExchangeBridge bridge;
    private final @Nullable String serverHeader;

    // Spring's head at commit: written by apply* on the committing thread, read on the loop afterwards.
    private int status = HttpStatus.OK.value();
    private String[] fields = new String[16];
    private int fieldCount;
    private long declaredLength = -1;
    private volatile boolean headTaken;

    RingServerHttpResponse(ExchangeBridge bridge, DataBufferFactory bufferFactory, @Nullable String serverHeader) {
        super(bufferFactory, new HttpHeaders());
        this.bridge = bridge;
        this.serverHeader = serverHeader;
    }

    /** 200 until set, as the core sends it: observations and logs read the status that goes out. */
    @Override
    public HttpStatusCode getStatusCode() {
        HttpStatusCode code = super.getStatusCode();
        return code != null ? code : HttpStatus.OK;
    }

    @Override
    protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
        return ResponseBodyWriter.write(bridge, body, true);
    }

    @Override
    protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        // One inner publisher at a time (prefetch 1): events are not produced ahead of the client.
        return Flux.from(body)
                .concatMap(inner -> ResponseBodyWriter.write(bridge, inner, false), 1)
                .then(ResponseBodyWriter.end(bridge));
    }

    /** Commits and ends a response without a body (the base class would only commit). */
    @Override
    public Mono<Void> setComplete() {
        return isCommitted() ? Mono.empty() : doCommit(() -> ResponseBodyWriter.end(bridge));
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, with that Content-Length unless
     * one was set, as a file region of the core response: the kernel sends it (sendfile; a file
     * channel transfer on NIO) without the bytes passing through the JVM. The file is opened on
     * Reactor's bounded-elastic scheduler, because opening blocks on the file system, and the core
     * closes it once the region has been sent or the connection ends.
     */
    @Override
    public Mono<Void> writeWith(Path file, long position, long count) {
        if (position < 0 || count < 0) {
            return Mono.error(new IllegalArgumentException("position and count must not be negative: "
                    + position + ", " + count));
        }
        if (!isCommitted() && getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH) == null) {
            getHeaders().setContentLength(count);
        }
        return doCommit(() -> Mono.fromCallable(() -> bridge.loop().openFile(file))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(handle -> Mono.<Void>create(sink -> bridge.execute(() -> {
                    Throwable failure = bridge.endWithFile(handle, position, count);
                    if (failure == null) {
                        sink.success();
                    } else {
                        sink.error(failure);
                    }
                }))));
    }

    // ---- commit: called once each, in this order, by doCommit on the committing thread

    @Override
    protected void applyStatusCode() {
        HttpStatusCode code = super.getStatusCode();
        if (code != null) {
            status = code.value();
        }
    }

    @Override
    protected void applyHeaders() {
        HttpHeaders headers = getHeaders();
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING) || name.equalsIgnoreCase(HttpHeaders.DATE)) {
                return; // the core frames the body and dates the response itself
            }
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH) && !values.isEmpty()) {
                declaredLength = parseLength(values.getFirst());
            }
            for (String value : values) {
                add(name, value);
            }
        });
        if (serverHeader != null && !headers.containsHeader(HttpHeaders.SERVER)) {
            add(HttpHeaders.SERVER, serverHeader);
        }
    }

    @Override
    protected void applyCookies() {
        for (List<ResponseCookie> cookies : getCookies().values()) {
            for (ResponseCookie cookie : cookies) {
                add(HttpHeaders.SET_COOKIE, cookie.toString()); // name=value and every attribute set
            }
        }
        headTaken = true; // publishes the snapshot to the loop
    }

    /** The Content-Length Spring set, or -1. */
    long declaredLength() {
        return declaredLength;
    }

    /**
     * Hands the snapshot to the core response. Loop only, before the head is written; the core
     * validates names and values (no CR/LF smuggling) and throws on an invalid one.
     */
    void applyTo(HttpResponse response) {
        if (!headTaken) {
            throw new IllegalStateException("the response head is applied before it was committed");
        }
        response.status(status);
        for (int i = 0; i < fieldCount; i += 2) {
            response.header(fields[i], fields[i + 1]);
        }
    }

    private void add(String name, String value) {
        if (fieldCount == fields.length) {
            fields = Arrays.copyOf(fields, fieldCount * 2);
        }
        fields[fieldCount++] = name;
        fields[fieldCount++] = value;
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1; // the core refuses it when the head is applied
        }
    }

    /** The core {@link HttpResponse}: loop-confined and reused for the next request once this one ended. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getNativeResponse() {
        return (T) bridge.response();
    }
}

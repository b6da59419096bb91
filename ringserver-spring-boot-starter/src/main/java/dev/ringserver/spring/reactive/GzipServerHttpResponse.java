package dev.ringserver.spring.reactive;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;

/**
 * One response of {@link GzipCompressingHttpHandler}: decides when the body is written whether to
 * compress it (the handler's rules against status and headers as they are then, and the body's
 * size), and if so sets the headers before the delegate commits and compresses the body on its way.
 *
 * <p>It is a {@link ZeroCopyHttpOutputMessage} too, so that a file the rules leave alone still reaches
 * the server's own file path; a file to compress is read and compressed like any body.
 */
final class GzipServerHttpResponse extends ServerHttpResponseDecorator implements ZeroCopyHttpOutputMessage {

    /** The most a body of unknown length is held while its size decides. */
    static final int PROBE_LIMIT = 256 * 1024;
    private static final int FILE_BUFFER_BYTES = 64 * 1024;

    private final GzipCompressingHttpHandler rules;

    GzipServerHttpResponse(ServerHttpResponse delegate, GzipCompressingHttpHandler rules) {
        super(delegate);
        this.rules = rules;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        if (isCommitted() || !rules.isCompressible(this)) {
            return super.writeWith(body);
        }
        long length = getHeaders().getContentLength();
        if (length >= 0) {
            return length < rules.minResponseSize() ? super.writeWith(body) : compressed(body);
        }
        return probed(body);
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        long length = getHeaders().getContentLength();
        if (isCommitted() || !rules.isCompressible(this) || (length >= 0 && length < rules.minResponseSize())) {
            return super.writeAndFlushWith(body);
        }
        setGzipHeaders();
        return Mono.using(() -> rules.encoder(bufferFactory()), encoder -> super.writeAndFlushWith(
                Flux.from(body)
                        .<Publisher<DataBuffer>>map(inner -> Flux.from(inner)
                                .handle((DataBuffer buffer, SynchronousSink<DataBuffer> sink) -> emit(encoder.compress(buffer), sink))
                                .concatWith(Mono.fromSupplier(encoder::flush))) // this part is now decodable
                        .concatWith(Mono.just(Mono.fromSupplier(encoder::finish)))
                        .doOnDiscard(DataBuffer.class, DataBufferUtils::release)),
                GzipEncoder::close);
    }

    @Override
    public Mono<Void> writeWith(Path file, long position, long count) {
        if (!isCommitted() && rules.isCompressible(this) && count >= rules.minResponseSize()) {
            return writeWith(read(file, position, count));
        }
        if (getDelegate() instanceof ZeroCopyHttpOutputMessage zeroCopy) {
            return zeroCopy.writeWith(file, position, count);
        }
        return super.writeWith(read(file, position, count));
    }

    private Flux<DataBuffer> read(Path file, long position, long count) {
        return count == 0 ? Flux.empty() : DataBufferUtils.takeUntilByteCount(DataBufferUtils.readAsynchronousFileChannel(
                () -> AsynchronousFileChannel.open(file, StandardOpenOption.READ), position, bufferFactory(),
                FILE_BUFFER_BYTES), count);
    }

    /** The size is known to be large enough. */
    private Mono<Void> compressed(Publisher<? extends DataBuffer> body) {
        setGzipHeaders();
        if (body instanceof Mono<? extends DataBuffer> single) {
            // One buffer in, one out: it still leaves in one write, with the compressed Content-Length.
            return Mono.using(() -> rules.encoder(bufferFactory()),
                    encoder -> super.writeWith(single.mapNotNull(encoder::compressLast)), GzipEncoder::close);
        }
        return Mono.using(() -> rules.encoder(bufferFactory()),
                encoder -> super.writeWith(gzip(Flux.<DataBuffer>from(body), encoder)), GzipEncoder::close);
    }

    /**
     * The size is unknown: buffers are held until they reach the threshold (then the body is
     * compressed) or the body ends below it (then it goes out as it is, with its Content-Length). The
     * delegate commits at the first buffer it gets, which comes after the decision.
     */
    private Mono<Void> probed(Publisher<? extends DataBuffer> body) {
        Probe probe = new Probe(Math.min(rules.minResponseSize(), PROBE_LIMIT));
        return Mono.using(() -> rules.encoder(bufferFactory()), encoder -> super.writeWith(Flux.<DataBuffer>from(body)
                        .bufferUntil(probe::reached)
                        .switchOnFirst((first, lists) -> {
                            Flux<DataBuffer> buffers = lists.flatMapIterable(Function.<List<DataBuffer>>identity());
                            if (!first.hasValue()) {
                                return buffers; // empty, or failed: nothing to decide
                            }
                            if (probe.reached) {
                                setGzipHeaders();
                                return gzip(buffers, encoder);
                            }
                            getHeaders().setContentLength(probe.total); // the first list is the whole body
                            return buffers;
                        })
                        .doOnDiscard(DataBuffer.class, DataBufferUtils::release)),
                GzipEncoder::close);
    }

    private static Flux<DataBuffer> gzip(Flux<DataBuffer> body, GzipEncoder encoder) {
        return body.handle((DataBuffer buffer, SynchronousSink<DataBuffer> sink) -> emit(encoder.compress(buffer), sink))
                .concatWith(Mono.fromSupplier(encoder::finish))
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    private static void emit(@Nullable DataBuffer compressed, SynchronousSink<DataBuffer> sink) {
        if (compressed != null) {
            sink.next(compressed);
        }
    }

    private void setGzipHeaders() {
        HttpHeaders headers = getHeaders();
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
        boolean varies = false;
        for (String vary : headers.getVary()) {
            varies |= vary.equals("*") || vary.equalsIgnoreCase(HttpHeaders.ACCEPT_ENCODING);
        }
        if (!varies) {
            headers.add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        }
        String etag = headers.getFirst(HttpHeaders.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            headers.set(HttpHeaders.ETAG, "W/" + etag); // the bytes differ from the identity body's
        }
    }

    /** Counts the bytes held until the threshold; after it, every buffer passes on its own. */
    private static final class Probe {
        private final long threshold;
        private long total;
        private boolean reached;

        Probe(long threshold) {
            this.threshold = threshold;
        }

        boolean reached(DataBuffer buffer) {
            if (!reached) {
                total += buffer.readableByteCount();
                reached = total >= threshold;
            }
            return reached;
        }
    }
}

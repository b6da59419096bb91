package dev.ringserver.spring.reactive;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.springframework.web.reactive.function.server.ServerResponse.ok;

/**
 * The endpoints the adapter suite calls: functional routes (through {@code HttpWebHandlerAdapter},
 * as an application would run) and, under {@code /raw/}, bare {@link HttpHandler}s that reach the
 * adapter's own paths (errors, completion without a write, zero-copy, detached writes). Fields let
 * the tests observe what the server side saw.
 */
final class TestApp {

    static final String SERVER_HEADER = "ringserver-test";
    static final String HELLO = "Hello, WebFlux";
    static final int PIECE = 64 * 1024;

    final Path file;
    /** Bytes the download endpoint has generated so far. */
    final AtomicLong produced = new AtomicLong();
    volatile CountDownLatch hangCancelled = new CountDownLatch(1);
    volatile CountDownLatch ticksCancelled = new CountDownLatch(1);
    volatile CompletableFuture<Throwable> detachedFailure = new CompletableFuture<>();

    TestApp(Path file) {
        this.file = file;
    }

    record Greeting(String name, int count) {
    }

    /** Byte {@code i} of every generated body: a pattern a dropped or repeated piece cannot keep. */
    static byte patternByte(long i) {
        return (byte) (i % 251);
    }

    static byte[] pattern(long from, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = patternByte(from + i);
        }
        return bytes;
    }

    /** Compressible text of exactly {@code size} bytes. */
    static String text(int size) {
        StringBuilder text = new StringBuilder(size + 64);
        for (int line = 0; text.length() < size; line++) {
            text.append("line ").append(line).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return text.substring(0, size);
    }

    HttpHandler plain() {
        HttpHandler routes = RouterFunctions.toHttpHandler(routes());
        return (request, response) -> request.getPath().value().startsWith("/raw/")
                ? raw(request, response) : routes.handle(request, response);
    }

    HttpHandler gzipRoutes() {
        return RouterFunctions.toHttpHandler(RouterFunctions.route()
                .route(getOrHead("/gz/text"), r -> ok().contentType(MediaType.TEXT_PLAIN).bodyValue(text(size(r))))
                .GET("/gz/flux", r -> ok().contentType(MediaType.TEXT_PLAIN).body(Flux.range(0, intParam(r, "parts"))
                        .map(i -> text(size(r) / intParam(r, "parts"))), String.class))
                .GET("/gz/png", r -> ok().contentType(MediaType.IMAGE_PNG).bodyValue(pattern(0, 4096)))
                .GET("/gz/encoded", r -> ok().contentType(MediaType.TEXT_PLAIN).header("Content-Encoding", "br")
                        .bodyValue(text(4096)))
                .GET("/gz/etag", r -> ok().contentType(MediaType.TEXT_PLAIN).eTag("\"v1\"").bodyValue(text(4096)))
                .GET("/gz/nocontent", r -> ServerResponse.noContent().build())
                .GET("/gz/sse", r -> ok().contentType(MediaType.TEXT_EVENT_STREAM).body(BodyInserters.fromServerSentEvents(
                        Flux.interval(Duration.ofMillis(300)).take(3)
                                .map(i -> ServerSentEvent.builder("event-" + i).build()))))
                .build());
    }

    private RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .route(getOrHead("/text"), r -> ok().contentType(MediaType.TEXT_PLAIN).bodyValue(HELLO))
                .GET("/json", r -> ok().contentType(MediaType.APPLICATION_JSON).bodyValue(new Greeting("ring", 3)))
                .POST("/echo", r -> ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .body(BodyInserters.fromDataBuffers(r.bodyToFlux(DataBuffer.class))))
                .GET("/download", r -> ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .body(BodyInserters.fromDataBuffers(download(size(r)))))
                .GET("/sse", r -> ok().contentType(MediaType.TEXT_EVENT_STREAM).body(BodyInserters.fromServerSentEvents(
                        Flux.interval(Duration.ofMillis(300)).take(3)
                                .map(i -> ServerSentEvent.builder("event-" + i).id(String.valueOf(i)).build()))))
                .GET("/ticks", r -> ok().contentType(MediaType.TEXT_EVENT_STREAM).body(BodyInserters.fromServerSentEvents(
                        Flux.interval(Duration.ofMillis(100)).map(i -> ServerSentEvent.builder("tick-" + i).build())
                                .doOnCancel(() -> ticksCancelled.countDown()))))
                .GET("/hang", r -> Mono.<ServerResponse>never().doOnCancel(() -> hangCancelled.countDown()))
                .GET("/cookies", this::cookies)
                .GET("/fail", r -> Mono.error(new IllegalStateException("route failure")))
                .GET("/abort", r -> ok().contentType(MediaType.TEXT_PLAIN).body(Flux.concat(
                        Flux.just("partial-1\n", "partial-2\n"),
                        Mono.delay(Duration.ofMillis(100)).then(Mono.error(new IllegalStateException("failure after commit")))),
                        String.class))
                .GET("/remote", r -> ok().contentType(MediaType.TEXT_PLAIN).bodyValue(
                        address(r.remoteAddress().orElse(null)) + "\n" + address(r.localAddress().orElse(null))))
                .GET("/uri", r -> ok().contentType(MediaType.TEXT_PLAIN).bodyValue(
                        r.uri() + "\n" + r.uri().getRawPath() + "\n" + r.queryParams()))
                .GET("/file", r -> ok().contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(new FileSystemResource(file)))
                .build();
    }

    /** Functional routes match HEAD only when asked to (annotated controllers map it to GET). */
    private static RequestPredicate getOrHead(String path) {
        return RequestPredicates.GET(path).or(RequestPredicates.HEAD(path));
    }

    private Mono<ServerResponse> cookies(ServerRequest request) {
        String received = request.cookies().values().stream().flatMap(List::stream)
                .map(cookie -> cookie.getName() + "=" + cookie.getValue()).sorted().collect(Collectors.joining(","));
        return ok().contentType(MediaType.TEXT_PLAIN)
                .cookie(ResponseCookie.from("session", "abc").path("/").domain("example.com").maxAge(Duration.ofHours(1))
                        .secure(true).httpOnly(true).sameSite("Lax").partitioned(true).build())
                .cookie(ResponseCookie.from("theme", "dark").build())
                .bodyValue(received);
    }

    private Flux<DataBuffer> download(long size) {
        produced.set(0);
        return Flux.generate(() -> 0L, (sent, sink) -> {
            if (sent >= size) {
                sink.complete();
                return sent;
            }
            int length = (int) Math.min(PIECE, size - sent);
            produced.addAndGet(length);
            sink.next(DefaultDataBufferFactory.sharedInstance.wrap(pattern(sent, length)));
            return sent + length;
        });
    }

    private Mono<Void> raw(ServerHttpRequest request, ServerHttpResponse response) {
        return switch (request.getPath().value()) {
            case "/raw/fail" -> Mono.error(new IllegalStateException("raw failure"));
            case "/raw/throw" -> throw new IllegalStateException("thrown by the handler");
            case "/raw/empty" -> {
                response.setStatusCode(HttpStatus.ACCEPTED);
                yield Mono.empty(); // neither written nor completed: the adapter must end it
            }
            case "/raw/zero-copy" -> {
                response.getHeaders().setContentType(MediaType.APPLICATION_OCTET_STREAM);
                yield ((ZeroCopyHttpOutputMessage) response).writeWith(file,
                        Long.parseLong(request.getQueryParams().getFirst("position")),
                        Long.parseLong(request.getQueryParams().getFirst("count")));
            }
            case "/raw/detached" -> {
                response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
                response.writeWith(Flux.interval(Duration.ofMillis(50))
                                .map(i -> response.bufferFactory().wrap(("tick " + i + "\n").getBytes(StandardCharsets.US_ASCII))))
                        .subscribe(null, failure -> detachedFailure.complete(failure));
                yield Mono.never();
            }
            case "/raw/mono-big" -> response.writeWith(Mono.fromSupplier(
                    () -> response.bufferFactory().wrap(pattern(0, 8 << 20))));
            case "/raw/body-twice" -> count(request.getBody()).flatMap(total -> count(request.getBody())
                    .map(second -> "second subscription accepted")
                    .onErrorResume(e -> Mono.just(e.getClass().getSimpleName() + ": " + e.getMessage()))
                    .flatMap(text -> write(response, total + " " + text)));
            case "/raw/late-read" -> Mono.delay(Duration.ofMillis(300)).then(count(request.getBody()))
                    .flatMap(total -> write(response, "read " + total));
            case "/raw/cancel-body" -> request.getBody().next().flatMap(first -> {
                int length = first.readableByteCount();
                DataBufferUtils.release(first);
                return write(response, "first piece of " + length + " bytes, then cancelled");
            });
            case "/raw/one-read" -> oneRead(request, response);
            default -> {
                response.setStatusCode(HttpStatus.NOT_FOUND);
                yield response.setComplete();
            }
        };
    }

    /** Asks for one buffer, waits, checks that no more came, then reads the rest. */
    private Mono<Void> oneRead(ServerHttpRequest request, ServerHttpResponse response) {
        CompletableFuture<String> result = new CompletableFuture<>();
        request.getBody().subscribe(new BaseSubscriber<DataBuffer>() {
            final AtomicInteger received = new AtomicInteger();
            final AtomicLong total = new AtomicLong();
            volatile int afterWait = -1;

            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(DataBuffer buffer) {
                total.addAndGet(buffer.readableByteCount());
                DataBufferUtils.release(buffer);
                if (received.incrementAndGet() == 1) {
                    Mono.delay(Duration.ofMillis(300)).subscribe(x -> {
                        afterWait = received.get();
                        requestUnbounded();
                    });
                }
            }

            @Override
            protected void hookOnComplete() {
                result.complete("first=1 afterWait=" + afterWait + " total=" + total.get());
            }

            @Override
            protected void hookOnError(Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        return Mono.fromFuture(result).flatMap(text -> write(response, text));
    }

    private static Mono<Long> count(Flux<DataBuffer> body) {
        return body.map(buffer -> {
            long length = buffer.readableByteCount();
            DataBufferUtils.release(buffer);
            return length;
        }).reduce(0L, Long::sum);
    }

    private static Mono<Void> write(ServerHttpResponse response, String text) {
        response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    private static String address(InetSocketAddress address) {
        return address == null ? "null" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static int size(ServerRequest request) {
        return intParam(request, "size");
    }

    private static int intParam(ServerRequest request, String name) {
        return Integer.parseInt(request.queryParam(name).orElseThrow());
    }
}

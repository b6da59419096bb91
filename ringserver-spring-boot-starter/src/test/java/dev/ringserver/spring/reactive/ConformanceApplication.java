package dev.ringserver.spring.reactive;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WebFlux application the application-level conformance suite runs on ringserver: full
 * auto-configuration (as in a user's application) and routes for JSON, server-sent events, streaming
 * uploads and downloads, cookies, compressible text, and requests that never finish. It records what
 * the tests observe from the server side: bytes produced for downloads and cancellations.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ConformanceApplication {

    /** What the server side saw; one per application context. */
    public static final class Probe {
        final AtomicLong downloadBytesProduced = new AtomicLong();
        volatile CountDownLatch cancelled = new CountDownLatch(1);
        volatile CountDownLatch slowStarted = new CountDownLatch(1);
        /** What {@code GET /file} serves (a Resource: Spring takes the zero-copy path). */
        volatile java.nio.file.Path file;
    }

    record Greeting(String message, int number) {
    }

    /**
     * An annotated controller, so that HEAD goes through Spring's implicit HEAD for GET mappings.
     * Registered as a member class of this configuration (no component scanning needed).
     */
    @RestController
    static class GreetingController {

        @GetMapping("/greeting")
        Greeting greeting() {
            return new Greeting("hi", 2);
        }
    }

    @Bean
    Probe probe() {
        return new Probe();
    }

    @Bean
    RouterFunction<ServerResponse> routes(Probe probe) {
        return RouterFunctions.route()
                .GET("/json", request -> ServerResponse.ok().bodyValue(new Greeting("hello", 1)))
                .POST("/json", request -> request.bodyToMono(Greeting.class)
                        .flatMap(greeting -> ServerResponse.ok().bodyValue(
                                new Greeting(greeting.message().toUpperCase(java.util.Locale.ROOT), greeting.number() + 1))))
                .GET("/sse", request -> ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(Flux.interval(Duration.ofMillis(200))
                                .take(Long.parseLong(request.queryParam("count").orElse("5")))
                                .map(i -> ServerSentEvent.builder("tick " + i).id(String.valueOf(i)).build()),
                                ServerSentEvent.class))
                .POST("/upload", ConformanceApplication::upload)
                .GET("/download", request -> download(request, probe))
                .GET("/cookies", request -> ServerResponse.ok()
                        .cookie(ResponseCookie.from("flavour", "oat").path("/").httpOnly(true).maxAge(60).build())
                        .bodyValue("got " + java.util.Optional.ofNullable(request.cookies().getFirst("session"))
                                .map(org.springframework.http.HttpCookie::getValue).orElse("no session")))
                .GET("/file", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .bodyValue(new FileSystemResource(probe.file)))
                .GET("/text", request -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("ringserver ".repeat(2000)))
                .GET("/hang", request -> Mono.<ServerResponse>never()
                        .doOnCancel(() -> probe.cancelled.countDown()))
                .GET("/slow", request -> Mono.delay(Duration.ofMillis(Long.parseLong(request.queryParam("ms").orElse("1000"))))
                        .doOnSubscribe(subscription -> probe.slowStarted.countDown())
                        .then(ServerResponse.ok().bodyValue("slow done")))
                .build();
    }

    /** Hashes the body as it streams in: nothing is collected into memory. */
    private static Mono<ServerResponse> upload(ServerRequest request) {
        MessageDigest digest = sha256();
        AtomicLong size = new AtomicLong();
        return request.body((message, context) -> message.getBody())
                .doOnNext(buffer -> {
                    size.addAndGet(buffer.readableByteCount());
                    try (DataBuffer.ByteBufferIterator pieces = buffer.readableByteBuffers()) {
                        pieces.forEachRemaining(digest::update);
                    }
                    DataBufferUtils.release(buffer);
                })
                .then(Mono.defer(() -> ServerResponse.ok().bodyValue(
                        Map.of("size", size.get(), "sha256", HexFormat.of().formatHex(digest.digest())))));
    }

    /** {@code size} bytes in 64 KiB buffers made on demand, counting what was made (back-pressure). */
    private static Mono<ServerResponse> download(ServerRequest request, Probe probe) {
        long size = Long.parseLong(request.queryParam("size").orElse("1048576"));
        int piece = 64 * 1024;
        probe.downloadBytesProduced.set(0);
        Flux<DataBuffer> body = Flux.generate(() -> 0L, (sent, sink) -> {
            if (sent >= size) {
                sink.complete();
                return sent;
            }
            int length = (int) Math.min(piece, size - sent);
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) ((sent + i) % 251);
            }
            probe.downloadBytesProduced.addAndGet(length);
            sink.next(DefaultDataBufferFactory.sharedInstance.wrap(bytes));
            return sent + length;
        });
        return ServerResponse.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(size)
                .body((message, context) -> message.writeWith(body));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

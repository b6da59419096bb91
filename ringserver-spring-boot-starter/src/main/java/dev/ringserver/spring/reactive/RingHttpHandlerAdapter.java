package dev.ringserver.spring.reactive;

import dev.ringserver.http.HttpMethod;
import dev.ringserver.http.HttpStatus;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpResponse;
import dev.ringserver.server.LoopLocal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHeadResponseDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves a Spring WebFlux {@link HttpHandler} on ringserver: the core calls {@link #handle} on the
 * connection's event loop for each request, and the adapter builds a
 * {@link org.springframework.http.server.reactive.ServerHttpRequest} and
 * {@link org.springframework.http.server.reactive.ServerHttpResponse} around the exchange (HEAD
 * responses wrapped in {@link HttpHeadResponseDecorator}) and subscribes to the handler's result.
 *
 * <p>Contract with the handler, as with Reactor Netty:
 * <ul>
 *   <li>the handler runs on the event loop and must not block; it may continue on any thread;</li>
 *   <li>the response ends when the handler's {@code Mono} completes, if nothing ended it before;</li>
 *   <li>an error before the head was sent becomes a 500 (with {@code Connection: close}); after, the
 *       connection is aborted, so the client sees a truncated message rather than a complete one;</li>
 *   <li>a client disconnect cancels the handler's subscription, and writes or body reads that still
 *       happen fail with {@link AbortedException}, which Spring logs as a gone client;</li>
 *   <li>a request whose target and Host do not form a URI gets a 400 without reaching the handler.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves every loop of a server. Per request it allocates the request,
 * the response and their bridge; it takes no lock.
 */
public final class RingHttpHandlerAdapter implements dev.ringserver.server.HttpHandler {

    private static final Log LOG = LogFactory.getLog(RingHttpHandlerAdapter.class);

    /** A request counter per loop: unique ids without a shared atomic between loops. */
    private static final LoopLocal<long[]> SEQUENCE = new LoopLocal<>(resources -> new long[1]);

    private static final byte[] BAD_REQUEST = "400 Bad Request\n".getBytes(StandardCharsets.US_ASCII);

    private static final MethodHandle SERVE;

    static {
        try {
            SERVE = MethodHandles.lookup().findVirtual(RingHttpHandlerAdapter.class, "serve",
                    MethodType.methodType(void.class, HttpExchange.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HttpHandler handler;
    /**
     * {@link #serve} bound to this adapter, kept in an instance field: not a constant to the JIT, so
     * the call is never inlined and the engine's compiled code ends at {@link #handle}. Inlined, the
     * WebFlux pipeline (building the exchange, the handler, the subscription that runs it) made the
     * engine's hot methods ({@code Connection.deliver}, {@code Http1Connection.process}) 60-80 KB
     * compile units, thrown away and recompiled (0.6-0.9 s of C2 each, on the loop's own core)
     * whenever a speculation anywhere inside Spring failed, which connections opening and closing keep
     * causing. See docs/benchmarks.md for the measurement.
     */
    private final MethodHandle serveExchange;
    private final @Nullable String serverHeader;
    private final DataBufferFactory bufferFactory = DefaultDataBufferFactory.sharedInstance;
    private volatile Supplier<@Nullable InetSocketAddress> localAddress = () -> null;

    /**
     * @param handler      the WebFlux handler, usually built by {@code WebHttpHandlerBuilder}
     * @param serverHeader the {@code Server} field for every response, or null for none
     */
    public RingHttpHandlerAdapter(HttpHandler handler, @Nullable String serverHeader) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.serverHeader = serverHeader;
        this.serveExchange = SERVE.bindTo(this);
    }

    /**
     * Where {@link org.springframework.http.server.reactive.ServerHttpRequest#getLocalAddress()} comes
     * from: the server's bound address, known once it started (the core does not report a connection's
     * own local address yet). Read for each request; any thread.
     */
    public void setLocalAddress(Supplier<@Nullable InetSocketAddress> localAddress) {
        this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            serveExchange.invokeExact(exchange);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // serve declares no checked exception
        }
    }

    private void serve(HttpExchange exchange) {
        ExchangeBridge bridge = new ExchangeBridge(exchange);
        RequestBodyFlux body = new RequestBodyFlux(bridge, exchange.body(), bufferFactory);
        RingServerHttpRequest request;
        try {
            request = new RingServerHttpRequest(exchange, body, remoteAddress(exchange), localAddress.get(),
                    ++exchange.loop().local(SEQUENCE)[0]);
        } catch (URISyntaxException | IllegalArgumentException invalid) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Bad request target or Host for " + exchange.request() + ": " + invalid.getMessage());
            }
            badRequest(exchange.response());
            return;
        }
        RingServerHttpResponse response = new RingServerHttpResponse(bridge, bufferFactory, serverHeader);
        bridge.bind(response, body);
        exchange.onAbort(bridge);
        ServerHttpResponse target = exchange.request().method() == HttpMethod.HEAD
                ? new HttpHeadResponseDecorator(response) : response;
        Mono<Void> result;
        try {
            result = handler.handle(request, target);
        } catch (Throwable t) {
            bridge.onError(t); // a handler that throws instead of returning an error Mono
            return;
        }
        result.subscribe(bridge);
    }

    private static @Nullable InetSocketAddress remoteAddress(HttpExchange exchange) {
        try {
            return exchange.remoteAddress(); // looked up once per connection by the core
        } catch (IOException e) {
            return null;
        }
    }

    private void badRequest(HttpResponse response) {
        response.status(HttpStatus.BAD_REQUEST).header("Content-Type", "text/plain").header("Connection", "close");
        if (serverHeader != null) {
            response.header("Server", serverHeader);
        }
        response.end(BAD_REQUEST);
    }
}

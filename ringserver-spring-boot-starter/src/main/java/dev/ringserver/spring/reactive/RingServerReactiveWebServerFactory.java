package dev.ringserver.spring.reactive;

import dev.ringserver.files.StaticFileHandler;
import dev.ringserver.files.StaticFilesConfig;
import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.Backends;
import dev.ringserver.io.IoConfig;
import dev.ringserver.server.RingServer;
import dev.ringserver.spring.server.RingServerCustomizer;
import dev.ringserver.spring.server.RingWebServer;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Http2;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.reactive.AbstractReactiveWebServerFactory;
import org.springframework.http.server.reactive.HttpHandler;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link org.springframework.boot.web.server.reactive.ReactiveWebServerFactory} that serves a WebFlux
 * {@link HttpHandler} with ringserver. Besides Boot's common settings (port, address, shutdown,
 * compression, server header) it carries the backend, the number of event loops, the HTTP engine's
 * limits and timeouts ({@link HttpConfig}) and the backend's settings ({@link IoConfig}).
 *
 * <p>TLS and HTTP/2 are not supported yet: enabling either fails {@link #getWebServer} with a message
 * saying so. Not thread-safe; configure it before the application context starts the server.
 */
public class RingServerReactiveWebServerFactory extends AbstractReactiveWebServerFactory {

    private String backend = Backends.AUTO;
    private int eventLoops;
    private HttpConfig httpConfig = HttpConfig.DEFAULT;
    private IoConfig ioConfig = IoConfig.DEFAULT;
    private Duration stopTimeout = Duration.ofSeconds(5);
    private final List<RingServerCustomizer> serverCustomizers = new ArrayList<>();
    private List<StaticFilesConfig> staticFiles = List.of();

    public RingServerReactiveWebServerFactory() {
    }

    public RingServerReactiveWebServerFactory(int port) {
        super(port);
    }

    @Override
    public WebServer getWebServer(HttpHandler httpHandler) {
        checkSupported(getSsl(), getHttp2());
        HttpHandler handler = httpHandler;
        Compression compression = getCompression();
        if (compression != null && compression.getEnabled()) {
            handler = new GzipCompressingHttpHandler(handler, compression);
        }
        RingHttpHandlerAdapter adapter = new RingHttpHandlerAdapter(handler, getServerHeader());
        // Static locations answer before Spring: each handler passes what is not its own to the next,
        // the last to the adapter. They live as long as the web server (descriptor caches, executors).
        dev.ringserver.server.HttpHandler first = adapter;
        List<StaticFileHandler> staticHandlers = new ArrayList<>();
        for (int i = staticFiles.size() - 1; i >= 0; i--) {
            StaticFileHandler staticHandler = new StaticFileHandler(staticFiles.get(i), first);
            staticHandlers.add(staticHandler);
            first = staticHandler;
        }
        dev.ringserver.server.HttpHandler entry = first;
        int port = getPort();
        return new RingWebServer(() -> buildServer(adapter, entry, port), port, getShutdown(),
                staticHandlers.reversed());
    }

    private RingServer buildServer(RingHttpHandlerAdapter adapter, dev.ringserver.server.HttpHandler entry,
            int port) {
        RingServer.Builder builder = RingServer.builder()
                .port(port)
                .backend(backend)
                .ioConfig(ioConfig)
                .stopTimeout(stopTimeout)
                .http(entry, httpConfig);
        InetAddress address = getAddress();
        if (address != null) {
            builder.address(address);
        }
        if (eventLoops > 0) {
            builder.loops(eventLoops);
        }
        for (RingServerCustomizer customizer : serverCustomizers) {
            customizer.customize(builder);
        }
        RingServer server = builder.build();
        // Requests report the listening address as their local address; each start builds a new server.
        adapter.setLocalAddress(server::localAddress);
        return server;
    }

    private static void checkSupported(Ssl ssl, Http2 http2) {
        if (Ssl.isEnabled(ssl)) {
            throw new IllegalStateException("ringserver does not support TLS yet, but server.ssl.enabled is true: "
                    + "terminate TLS in a proxy in front of the application and set server.ssl.enabled=false");
        }
        if (http2 != null && http2.isEnabled()) {
            throw new IllegalStateException("ringserver does not support HTTP/2 yet, but server.http2.enabled is "
                    + "true: set server.http2.enabled=false (ringserver serves HTTP/1.1)");
        }
    }

    /** The backend: {@code auto}, {@code io_uring}, {@code epoll}, {@code kqueue} or {@code nio}. */
    public String getBackend() {
        return backend;
    }

    public void setBackend(String backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Event loops (threads); 0 means one per available processor. */
    public int getEventLoops() {
        return eventLoops;
    }

    public void setEventLoops(int eventLoops) {
        if (eventLoops < 0) {
            throw new IllegalArgumentException("eventLoops must not be negative: " + eventLoops);
        }
        this.eventLoops = eventLoops;
    }

    public HttpConfig getHttpConfig() {
        return httpConfig;
    }

    public void setHttpConfig(HttpConfig httpConfig) {
        this.httpConfig = Objects.requireNonNull(httpConfig, "httpConfig");
    }

    public IoConfig getIoConfig() {
        return ioConfig;
    }

    public void setIoConfig(IoConfig ioConfig) {
        this.ioConfig = Objects.requireNonNull(ioConfig, "ioConfig");
    }

    /** How long {@code stop()} waits for connections to close before it closes them. */
    public Duration getStopTimeout() {
        return stopTimeout;
    }

    public void setStopTimeout(Duration stopTimeout) {
        this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    /** Directories served by ringserver itself before a request reaches the application, in order. */
    public List<StaticFilesConfig> getStaticFiles() {
        return staticFiles;
    }

    public void setStaticFiles(List<StaticFilesConfig> staticFiles) {
        this.staticFiles = List.copyOf(staticFiles);
    }

    public List<RingServerCustomizer> getServerCustomizers() {
        return List.copyOf(serverCustomizers);
    }

    public void setServerCustomizers(List<? extends RingServerCustomizer> customizers) {
        serverCustomizers.clear();
        serverCustomizers.addAll(customizers);
    }

    public void addServerCustomizers(RingServerCustomizer... customizers) {
        serverCustomizers.addAll(Arrays.asList(customizers));
    }
}

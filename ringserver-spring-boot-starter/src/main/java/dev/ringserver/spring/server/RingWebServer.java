package dev.ringserver.spring.server;

import dev.ringserver.files.StaticFileHandler;
import dev.ringserver.server.RingServer;
import dev.ringserver.server.ShutdownReport;
import dev.ringserver.sys.Errno;
import dev.ringserver.sys.ErrnoException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A Spring Boot {@link WebServer} running a {@link RingServer}. Each {@link #start()} builds a fresh
 * server from the supplier (a core server runs once), so {@code stop()} and {@code start()} again
 * work; a port of -1 means no listener at all.
 *
 * <p>Graceful shutdown runs on its own thread ({@code ringserver-shutdown}): the server stops
 * accepting, closes idle keep-alive connections and lets requests in flight finish; the callback gets
 * {@link GracefulShutdownResult#IDLE} when every connection ended, or
 * {@link GracefulShutdownResult#REQUESTS_ACTIVE} when {@link #stop()} cut it short.
 *
 * <p>Thread-safe: Boot calls it from its lifecycle threads.
 */
public final class RingWebServer implements WebServer {

    private static final Log LOG = LogFactory.getLog(RingWebServer.class);

    private final Supplier<RingServer> serverSupplier;
    private final int requestedPort;
    private final Shutdown shutdown;
    private final List<StaticFileHandler> staticFileHandlers;
    private RingServer server;
    private Thread gracefulShutdown;
    private boolean destroyed;

    /**
     * @param serverSupplier builds a configured, unstarted server; called on every start
     * @param requestedPort  the configured port: 0 for an ephemeral one, -1 for none
     * @param shutdown       whether {@link #shutDownGracefully} waits for requests in flight
     */
    public RingWebServer(Supplier<RingServer> serverSupplier, int requestedPort, Shutdown shutdown) {
        this(serverSupplier, requestedPort, shutdown, List.of());
    }

    /**
     * @param staticFileHandlers the static-file handlers the supplied servers use; they live as long as
     *                           this web server (descriptor caches, executors) and {@link #destroy()}
     *                           closes them once, after the server has stopped
     */
    public RingWebServer(Supplier<RingServer> serverSupplier, int requestedPort, Shutdown shutdown,
            List<StaticFileHandler> staticFileHandlers) {
        this.serverSupplier = serverSupplier;
        this.requestedPort = requestedPort;
        this.shutdown = shutdown;
        this.staticFileHandlers = List.copyOf(staticFileHandlers);
    }

    @Override
    public synchronized void start() throws WebServerException {
        if (destroyed) {
            throw new WebServerException("this web server has been destroyed; create a new one", null);
        }
        if (server != null || requestedPort < 0) {
            return;
        }
        RingServer candidate = serverSupplier.get();
        try {
            candidate.start();
        } catch (IOException e) {
            if (isAddressInUse(e)) {
                throw new PortInUseException(requestedPort, e);
            }
            throw new WebServerException("Unable to start ringserver: " + e.getMessage(), e);
        }
        server = candidate;
        if (LOG.isInfoEnabled()) {
            LOG.info("RingServer started on port " + candidate.port() + " (http) with backend "
                    + candidate.backendName() + " [" + candidate.features() + "], " + candidate.loops().size()
                    + " event loops (" + candidate.selectionExplanation() + ")");
        }
    }

    @Override
    public void stop() throws WebServerException {
        RingServer running;
        Thread shutdownThread;
        synchronized (this) {
            running = server;
            server = null;
            shutdownThread = gracefulShutdown;
            gracefulShutdown = null;
        }
        if (shutdownThread != null) {
            abort(shutdownThread); // its callback reports REQUESTS_ACTIVE
        }
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public void destroy() {
        stop();
        boolean first;
        synchronized (this) {
            first = !destroyed;
            destroyed = true;
        }
        if (first) {
            staticFileHandlers.forEach(StaticFileHandler::close);
        }
    }

    /** The bound port while running (the real one when 0 was configured), else -1. */
    @Override
    public synchronized int getPort() {
        return server == null ? -1 : server.port();
    }

    /** The static-file handlers in front of the application ({@code ringserver.static.locations}), in order. */
    public List<StaticFileHandler> getStaticFileHandlers() {
        return staticFileHandlers;
    }

    /** The running core server, or null when not started or stopped. */
    public synchronized RingServer getRingServer() {
        return server;
    }

    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        RingServer running;
        synchronized (this) {
            running = server;
            if (shutdown != Shutdown.GRACEFUL || running == null || gracefulShutdown != null) {
                running = null;
            }
        }
        if (running == null) {
            callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
            return;
        }
        LOG.info("Commencing graceful shutdown. Waiting for active requests to complete");
        RingServer draining = running;
        Thread thread = new Thread(() -> {
            // Boot bounds the wait (spring.lifecycle.timeout-per-shutdown-phase) and then calls stop(),
            // which interrupts this thread; the core's own grace period is therefore unbounded.
            ShutdownReport report = draining.shutdownGracefully(Duration.ofNanos(Long.MAX_VALUE));
            if (report.idle()) {
                LOG.info("Graceful shutdown complete");
                callback.shutdownComplete(GracefulShutdownResult.IDLE);
            } else {
                LOG.info("Graceful shutdown aborted with " + report.activeRequests() + " request(s) still active");
                callback.shutdownComplete(GracefulShutdownResult.REQUESTS_ACTIVE);
            }
        }, "ringserver-shutdown");
        synchronized (this) {
            gracefulShutdown = thread;
        }
        thread.start();
    }

    private static void abort(Thread shutdownThread) {
        shutdownThread.interrupt();
        try {
            shutdownThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isAddressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            boolean nioInUse = t instanceof BindException bind && bind.getMessage() != null
                    && bind.getMessage().toLowerCase(Locale.ROOT).contains("in use");
            if (nioInUse || (t instanceof ErrnoException errno && errno.errno() == Errno.EADDRINUSE)) {
                return true;
            }
        }
        return false;
    }
}

package dev.ringserver.server;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.Backends;
import dev.ringserver.io.Counters;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.IoCounter;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.sys.Platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A TCP server: N event loops (one per core by default) serving connections with a
 * {@link ConnectionHandler}, on the backend chosen by name or automatically.
 *
 * <p>On Linux every loop listens on the same port with {@code SO_REUSEPORT} and the kernel spreads
 * connections across them; elsewhere loop 0 accepts and hands connections to the loops in turn.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} may be called from any thread (they are
 * serialised); the accessors may be called at any time after start.
 */
public final class RingServer {

    private static final System.Logger LOG = System.getLogger(RingServer.class.getName());
    private static final long START_TIMEOUT_SECONDS = 30;

    /** How connections reach the loops. */
    public enum AcceptMode {
        /** Each loop has its own {@code SO_REUSEPORT} listener (Linux). */
        REUSE_PORT,
        /** Loop 0 accepts and hands connections to each loop in turn. */
        SINGLE_ACCEPTOR
    }

    private final InetAddress address;
    private final int requestedPort;
    private final String backendName;
    private final int loopCount;
    private final AcceptMode acceptMode;
    private final int backlog;
    private final ServerSettings template;

    private EventLoop[] loops = new EventLoop[0];
    private InetSocketAddress localAddress;
    private String selectionExplanation = "";
    private boolean started;
    private boolean stopped;

    private RingServer(Builder builder) {
        this.address = builder.address;
        this.requestedPort = builder.port;
        this.backendName = builder.backend;
        this.loopCount = builder.loops;
        this.acceptMode = builder.acceptMode != null ? builder.acceptMode
                : Platform.isLinux() ? AcceptMode.REUSE_PORT : AcceptMode.SINGLE_ACCEPTOR;
        this.backlog = builder.backlog;
        this.template = new ServerSettings(null, builder.ioConfig, null,
                Objects.requireNonNull(builder.handler, "a handler is required: call http(...) or handler(...)"),
                builder.maxConnectionsPerLoop, builder.maxOutboundBytes, builder.outboundChunkSize,
                builder.outboundPoolBytes, builder.taskQueueCapacity, builder.maxTimersPerLoop,
                builder.stopTimeout.toNanos());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Selects the backend, starts the loops and binds the port.
     *
     * @throws dev.ringserver.io.BackendUnavailableException when the named backend cannot run here
     * @throws IOException when the port cannot be bound (the message names the address and errno)
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        preloadTimeZoneRules();
        Backends.Selection selection = Backends.select(backendName);
        selectionExplanation = selection.explanation();
        boolean reusePort = acceptMode == AcceptMode.REUSE_PORT && loopCount > 1;
        ServerSettings settings = template.forBackend(selection.provider(), new ListenOptions(backlog, reusePort));
        InetSocketAddress requested = new InetSocketAddress(address, requestedPort);
        if (reusePort && requestedPort != 0) {
            ensurePortFree(requested);
        }
        loops = new EventLoop[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = new EventLoop(i, settings);
        }
        try {
            EventLoop[] handOffTargets = acceptMode == AcceptMode.SINGLE_ACCEPTOR ? loops : null;
            localAddress = await(loops[0].start(requested, handOffTargets));
            InetSocketAddress shared = reusePort ? new InetSocketAddress(address, localAddress.getPort()) : null;
            List<CompletableFuture<InetSocketAddress>> rest = new ArrayList<>();
            for (int i = 1; i < loopCount; i++) {
                rest.add(loops[i].start(shared, null));
            }
            for (CompletableFuture<InetSocketAddress> future : rest) {
                await(future);
            }
        } catch (IOException | RuntimeException e) {
            stopLoops();
            stopped = true;
            throw e;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "ringserver started on " + localAddress + " with "
                + selection.provider().name() + " (" + selectionExplanation + ")");
    }

    /**
     * Stops accepting, closes every connection, frees native memory and joins the loop threads. Called
     * from one of this server's own loops (a handler), it cannot wait for that loop, which finishes
     * stopping once the current callback returns.
     */
    public synchronized void stop() {
        if (!started || stopped) {
            return;
        }
        stopped = true;
        stopLoops();
    }

    /**
     * Shuts down gracefully: stops accepting, closes idle keep-alive connections, lets requests in
     * flight finish (their connections close after the response) until {@code gracePeriod} has passed,
     * then stops like {@link #stop()}. Blocks until done. Not from a loop thread.
     *
     * @return whether the server was idle at the deadline, or what was still in progress
     */
    public ShutdownReport shutdownGracefully(Duration gracePeriod) {
        synchronized (this) {
            if (!started || stopped) {
                return new ShutdownReport(true, 0, 0);
            }
        }
        for (EventLoop loop : loops) {
            if (loop.inLoop()) {
                throw new IllegalStateException("shutdownGracefully() would wait for its own loop; call it off the loops");
            }
            try {
                loop.execute(loop::beginGracefulShutdown);
            } catch (RejectedExecutionException stopping) {
                // this loop is already stopping
            }
        }
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        long open = openConnections();
        while (open > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            open = openConnections();
        }
        long activeRequests = 0;
        for (EventLoop loop : loops) {
            activeRequests += loop.httpCounters().get(HttpCounter.REQUESTS_ACTIVE);
        }
        stop();
        return new ShutdownReport(open == 0, activeRequests, open);
    }

    private long openConnections() {
        long open = 0;
        for (EventLoop loop : loops) {
            open += loop.counters().get(LoopCounter.ACTIVE);
        }
        return open;
    }

    /** The bound port (the real one when 0 was requested); -1 before start. */
    public int port() {
        InetSocketAddress bound = localAddress;
        return bound == null ? -1 : bound.getPort();
    }

    /** The bound address, or null before start. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The backend's name (after start: the one chosen). */
    public String backendName() {
        return loops.length > 0 ? loops[0].backendName() : backendName;
    }

    /** The backend's features as reported by loop 0. */
    public String features() {
        return loops.length > 0 ? loops[0].features() : "";
    }

    /** Why this backend was chosen, naming skipped ones and their reasons. */
    public String selectionExplanation() {
        return selectionExplanation;
    }

    /** The event loops, for running tasks on them and reading their counters. */
    public List<EventLoop> loops() {
        return List.of(loops);
    }

    /** Backend counters summed over all loops; any thread. */
    public Map<IoCounter, Long> ioTotals() {
        return totals(IoCounter.class, EventLoop::ioCounters);
    }

    /** Connection counters summed over all loops; any thread. */
    public Map<LoopCounter, Long> connectionTotals() {
        return totals(LoopCounter.class, EventLoop::counters);
    }

    /** HTTP counters summed over all loops (zero unless the server runs an HTTP handler); any thread. */
    public Map<HttpCounter, Long> httpTotals() {
        return totals(HttpCounter.class, EventLoop::httpCounters);
    }

    private <E extends Enum<E>> Map<E, Long> totals(Class<E> type, Function<EventLoop, Counters<E>> counters) {
        Map<E, Long> totals = new EnumMap<>(type);
        for (EventLoop loop : loops) {
            counters.apply(loop).snapshot().forEach((counter, value) -> totals.merge(counter, value, Long::sum));
        }
        return totals;
    }

    private void stopLoops() {
        for (EventLoop loop : loops) {
            loop.requestStop();
        }
        long waitNanos = template.stopTimeoutNanos() + TimeUnit.SECONDS.toNanos(5);
        long deadline = System.nanoTime() + waitNanos;
        for (EventLoop loop : loops) {
            if (loop.inLoop()) {
                continue;
            }
            try {
                long remaining = Math.max(0, deadline - System.nanoTime());
                if (!loop.awaitTermination(remaining, TimeUnit.NANOSECONDS) && loop.threadAlive()) {
                    LOG.log(System.Logger.Level.ERROR, "event loop " + loop.index() + " did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static InetSocketAddress await(CompletableFuture<InetSocketAddress> future) throws IOException {
        try {
            return future.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("event loop failed to start", cause);
        } catch (TimeoutException e) {
            throw new IOException("event loop did not start within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
    }

    /**
     * Logging formats times in the default zone, and the JDK reads its zone rules from
     * {@code tzdb.dat} on first use. Were that first use a warning logged while the process is out of
     * descriptors (EMFILE), the file could not be opened and the JDK's zone support would stay broken
     * for the life of the JVM; loading the rules now avoids that.
     */
    private static void preloadTimeZoneRules() {
        java.time.ZoneId.systemDefault().getRules();
    }

    /**
     * With {@code SO_REUSEPORT} another process's listener that also set it would silently share the
     * port; an ordinary bind first makes an occupied port fail as it would anywhere else.
     */
    private static void ensurePortFree(InetSocketAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address, 1);
        } catch (BindException e) {
            BindException clear = new BindException("cannot listen on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage() + "; another process already listens there: stop it "
                    + "or choose another port");
            clear.initCause(e);
            throw clear;
        }
    }

    /** Configures a {@link RingServer}. Not thread-safe. */
    public static final class Builder {

        private InetAddress address = anyAddress();
        private int port = 8080;
        private String backend = Backends.AUTO;
        private int loops = Runtime.getRuntime().availableProcessors();
        private IoConfig ioConfig = IoConfig.DEFAULT;
        private ConnectionHandler.Factory handler;
        private int maxConnectionsPerLoop = 16_384;
        private long maxOutboundBytes = 4L << 20;
        private int outboundChunkSize = 16 * 1024;
        private long outboundPoolBytes = 256L << 20;
        private int taskQueueCapacity = 65_536;
        private int maxTimersPerLoop = 1024;
        private int backlog = 4096;
        private AcceptMode acceptMode;
        private Duration stopTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /** The address to bind; default: all interfaces (0.0.0.0). */
        public Builder address(InetAddress value) {
            this.address = Objects.requireNonNull(value);
            return this;
        }

        /** The address to bind, as a literal or host name (resolved now). */
        public Builder address(String value) {
            try {
                return address(InetAddress.getByName(value));
            } catch (UnknownHostException e) {
                throw new UncheckedIOException("cannot resolve listen address '" + value + "'", e);
            }
        }

        /** The port; 0 picks a free one (see {@link RingServer#port()}). Default 8080. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + value);
            }
            this.port = value;
            return this;
        }

        /** {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}. Default {@code auto}. */
        public Builder backend(String value) {
            this.backend = Objects.requireNonNull(value);
            return this;
        }

        /** Event loops; default: the number of available processors. */
        public Builder loops(int value) {
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("loops must be between 1 and 1024: " + value);
            }
            this.loops = value;
            return this;
        }

        public Builder ioConfig(IoConfig value) {
            this.ioConfig = Objects.requireNonNull(value);
            return this;
        }

        /** The protocol for each accepted connection (this or {@link #http} is required). */
        public Builder handler(ConnectionHandler.Factory value) {
            this.handler = Objects.requireNonNull(value);
            return this;
        }

        /** Serves HTTP/1.1 with {@code handler} and the default {@link HttpConfig}. */
        public Builder http(HttpHandler handler) {
            return http(handler, HttpConfig.DEFAULT);
        }

        /** Serves HTTP/1.1 with {@code handler}, within {@code config}'s limits and timeouts. */
        public Builder http(HttpHandler handler, HttpConfig config) {
            return handler(Http1Connection.factory(Objects.requireNonNull(handler), Objects.requireNonNull(config)));
        }

        /** Connections one loop serves at most; at the limit it stops accepting (new ones wait in the listen backlog). Default 16384. */
        public Builder maxConnectionsPerLoop(int value) {
            this.maxConnectionsPerLoop = positive("maxConnectionsPerLoop", value);
            return this;
        }

        /** Bytes one connection may queue for sending before writes are refused. Default 4 MiB. */
        public Builder maxOutboundBytes(long value) {
            this.maxOutboundBytes = positive("maxOutboundBytes", value);
            return this;
        }

        /** Outbound buffer memory one loop may hold. Default 256 MiB. */
        public Builder outboundPoolBytes(long value) {
            this.outboundPoolBytes = positive("outboundPoolBytes", value);
            return this;
        }

        /** Tasks that may wait for one loop before {@link EventLoop#execute} rejects more. Default 65536. */
        public Builder taskQueueCapacity(int value) {
            this.taskQueueCapacity = positive("taskQueueCapacity", value);
            return this;
        }

        /** The listen backlog requested from the kernel. Default 4096. */
        public Builder backlog(int value) {
            this.backlog = positive("backlog", value);
            return this;
        }

        /** How connections reach the loops; default {@code REUSE_PORT} on Linux, else {@code SINGLE_ACCEPTOR}. */
        public Builder acceptMode(AcceptMode value) {
            this.acceptMode = Objects.requireNonNull(value);
            return this;
        }

        /** How long stopping waits for connections to close. Default 5 s. */
        public Builder stopTimeout(Duration value) {
            this.stopTimeout = Objects.requireNonNull(value);
            return this;
        }

        public RingServer build() {
            return new RingServer(this);
        }

        private static InetAddress anyAddress() {
            try {
                return InetAddress.getByAddress(new byte[4]);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }

        private static long positive(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}

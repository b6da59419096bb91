package dev.ringserver.files;

import dev.ringserver.http.HttpMethod;
import dev.ringserver.http.HttpStatus;
import dev.ringserver.http.RequestHead;
import dev.ringserver.server.HttpExchange;
import dev.ringserver.server.HttpHandler;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves the files under a directory at a URL prefix ({@link StaticFilesConfig}): GET and HEAD with
 * validators, conditional requests, ranges and precompressed siblings; small files from memory with
 * their head in one write, larger ones by sendfile from a cache of open descriptors.
 *
 * <p>Threading: {@link #handle} runs on the connection's event loop and does no file-system work. It
 * copies what the answer depends on from the request and hands it to the file-system executor, which
 * resolves, stats, reads or opens and posts the finished response back to the loop. When the
 * executor refuses (its queue is full) the request gets 503 with {@code Retry-After} at once. Paths
 * outside the prefix, and methods other than GET and HEAD, go to the fallback handler on the loop; without
 * one they get 404 and 405.
 *
 * <p>Resources: {@link #close()} closes the cached descriptors (transfers in flight keep their own
 * references and finish) and stops the handler's own executor. Close it after the servers using it.
 * Thread-safe; one handler may serve any number of loops and servers.
 *
 * <p>In front of an application handler, serving {@code ./public} at {@code /static/}:
 * <pre>{@code
 * StaticFileHandler files = new StaticFileHandler(
 *         StaticFilesConfig.builder(Path.of("public")).urlPrefix("/static/").cacheControl("max-age=3600").build(),
 *         applicationHandler);
 * RingServer server = RingServer.builder().port(8080).http(files).build();
 * }</pre>
 */
public final class StaticFileHandler implements HttpHandler, AutoCloseable {

    private static final byte[] NOT_FOUND_TEXT = "404 Not Found\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_ALLOWED_TEXT = "405 Method Not Allowed\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNAVAILABLE_TEXT = "503 Service Unavailable\n".getBytes(StandardCharsets.US_ASCII);

    private final StaticFilesConfig config;
    private final HttpHandler fallback;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final MemoryCache memory;
    private final OpenFileCache openFiles;
    private final StaticFileCounters counters = new StaticFileCounters();
    private final FileResponder responder;
    private final String prefixWithoutSlash;

    /** Serves {@code config}; other paths and methods get 404 and 405. */
    public StaticFileHandler(StaticFilesConfig config) {
        this(config, null);
    }

    /**
     * Serves {@code config}; requests for other paths, and with other methods than GET and HEAD, go to
     * {@code fallback} (null: 404 and 405).
     *
     * @throws IllegalArgumentException when the root is not a readable directory
     */
    public StaticFileHandler(StaticFilesConfig config, HttpHandler fallback) {
        this.config = config;
        this.fallback = fallback;
        this.memory = new MemoryCache(config.memoryCacheBytes());
        this.openFiles = new OpenFileCache(config.openFileCacheEntries());
        this.responder = new FileResponder(config, memory, openFiles, counters);
        String prefix = config.urlPrefix();
        this.prefixWithoutSlash = prefix.equals("/") ? "/" : prefix.substring(0, prefix.length() - 1);
        if (config.executor() != null) {
            this.executor = config.executor();
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = newPool(config.executorThreads(), config.executorQueue());
            this.executor = ownedExecutor;
        }
    }

    /**
     * A fixed pool of platform threads with a bounded queue. Platform threads, not virtual ones: file
     * system calls pin a virtual thread's carrier anyway, and a fixed number bounds how many block at
     * once. Idle threads end after 30 s.
     */
    private static ExecutorService newPool(int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), Thread.ofPlatform().name("ringserver-files-", 1).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public StaticFilesConfig config() {
        return config;
    }

    /** This handler's counters, among them bytes sent by sendfile and bytes copied from memory. Any thread. */
    public StaticFileCounters counters() {
        return counters;
    }

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        RequestHead head = exchange.request();
        String path = head.path();
        if (!path.startsWith(config.urlPrefix()) && !path.equals(prefixWithoutSlash)) {
            if (fallback != null) {
                fallback.handle(exchange);
            } else {
                counters.increment(StaticFileCounter.NOT_FOUND);
                answer(exchange, HttpStatus.NOT_FOUND, NOT_FOUND_TEXT, null, null);
            }
            return;
        }
        int method = head.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            if (fallback != null) {
                fallback.handle(exchange);
            } else {
                answer(exchange, 405, NOT_ALLOWED_TEXT, "Allow", "GET, HEAD");
            }
            return;
        }
        counters.increment(StaticFileCounter.REQUESTS);
        FileRequest request = FileRequest.of(exchange, path);
        try {
            executor.execute(() -> responder.respond(request));
        } catch (RejectedExecutionException e) {
            counters.increment(StaticFileCounter.REJECTED);
            answer(exchange, HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE_TEXT, "Retry-After", "1");
        }
    }

    /** Answers on the loop, at once, with a short text. */
    private static void answer(HttpExchange exchange, int status, byte[] text, String name, String value) {
        var response = exchange.response().status(status).header("Content-Type", "text/plain; charset=utf-8");
        if (name != null) {
            response.header(name, value);
        }
        response.end(text);
    }

    /** Files held open by the descriptor cache now. */
    int openFilesCached() {
        return openFiles.size();
    }

    /** Files held by the memory cache now. */
    int filesInMemory() {
        return memory.size();
    }

    /**
     * Stops the handler's own executor (waiting up to five seconds for the work queued on it), then
     * closes the cached descriptors and empties the memory cache. Responses still sending a file keep
     * it open until they end. Requests after this get 503.
     */
    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                ownedExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        openFiles.close();
        memory.clear();
    }
}

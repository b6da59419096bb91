package dev.ringserver.files;

import dev.ringserver.server.RingServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Not a test: serves files of several sizes for a load generator, to choose the memory-cache
 * threshold and to compare cached descriptors with opening per response. Run it with the test class
 * path, then point wrk at it (see the commit that set {@link StaticFilesConfig#DEFAULT_MEMORY_CACHE_FILE_BYTES}):
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes \
 *     dev.ringserver.files.StaticFileThresholdBench 8081 epoll
 * wrk -t1 -c16 -d5s http://127.0.0.1:8081/memory/f65536.bin    # from the memory cache
 * wrk -t1 -c16 -d5s http://127.0.0.1:8082/sendfile/f65536.bin  # by sendfile, cached descriptors
 * wrk -t1 -c16 -d5s http://127.0.0.1:8083/open/f65536.bin      # by sendfile, opened per response
 * </pre>
 *
 * Every five seconds it prints the heap bytes the event loops allocated per request in that time
 * (the loops' own allocation counters), which is what a static file costs the loop thread.
 */
public final class StaticFileThresholdBench {

    private StaticFileThresholdBench() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        String backend = args.length > 1 ? args[1] : "auto";
        Path root = Files.createTempDirectory("ringserver-bench");
        Random random = new Random(1);
        for (int size = 1024; size <= 1 << 20; size *= 2) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            Files.write(root.resolve("f" + size + ".bin"), content);
        }
        StaticFilesConfig.Builder base = StaticFilesConfig.builder(root).precompressed(false);
        start(port, backend, base.urlPrefix("/memory/").memoryCacheFileBytes(1 << 20).build());
        start(port + 1, backend, base.urlPrefix("/sendfile/").memoryCacheFileBytes(0).build());
        start(port + 2, backend, base.urlPrefix("/open/").memoryCacheFileBytes(0).openFileCacheEntries(0).build());
        System.out.println("serving " + root + " on ports " + port + "-" + (port + 2));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long lastBytes = 0;
        long lastRequests = 0;
        while (true) {
            Thread.sleep(5000);
            long bytes = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("ringserver-loop-")) {
                    bytes += threads.getThreadAllocatedBytes(thread.threadId());
                }
            }
            long requests = HANDLERS.stream().mapToLong(h -> h.counters().get(StaticFileCounter.REQUESTS)).sum();
            if (requests > lastRequests) {
                System.out.printf("loops allocated %.0f bytes per request over %d requests%n",
                        (double) (bytes - lastBytes) / (requests - lastRequests), requests - lastRequests);
            }
            lastBytes = bytes;
            lastRequests = requests;
        }
    }

    private static final java.util.List<StaticFileHandler> HANDLERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static void start(int port, String backend, StaticFilesConfig config) throws IOException {
        StaticFileHandler handler = new StaticFileHandler(config);
        HANDLERS.add(handler);
        RingServer.builder().port(port).loops(1).backend(backend).http(handler).build().start();
    }
}

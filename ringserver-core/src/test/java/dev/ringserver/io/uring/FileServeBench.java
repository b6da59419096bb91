package dev.ringserver.io.uring;

import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoConfig;
import dev.ringserver.server.RingServer;
import dev.ringserver.sys.SocketAddresses;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Not a test: the server behind the measurement of io_uring's file paths (splice or sendfile(2)),
 * run from the test class path. It serves {@code DIR/64k.bin} and {@code DIR/1m.bin} (created when
 * missing) at {@code /64k} and {@code /1m}, and {@code DIR/cold/NAME} at {@code /c/NAME} (for files
 * a test evicts from the page cache), opening the file per request as a static file server does, with
 * one event loop.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes \
 *     dev.ringserver.io.uring.FileServeBench PORT DIR [DISABLED_FEATURE,...] [BACKEND]
 * </pre>
 *
 * {@code sync_sendfile} as the disabled feature splices the files; {@code -} keeps the default
 * ({@code sendfile(2)}). Prints {@code ready ADDRESS backend=... features=...} once listening, and the
 * I/O counters on standard error when stopped by SIGTERM.
 */
public final class FileServeBench {

    private FileServeBench() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Set<String> disabled = new HashSet<>();
        if (args.length > 2 && !args[2].isEmpty() && !args[2].equals("-")) {
            disabled.addAll(Arrays.asList(args[2].split(",")));
        }
        String backend = args.length > 3 ? args[3] : "io_uring";
        Path small = file(dir.resolve("64k.bin"), 64 << 10);
        Path large = file(dir.resolve("1m.bin"), 1 << 20);
        RingServer server = RingServer.builder()
                .address("127.0.0.1")
                .port(port)
                .backend(backend)
                .loops(1)
                .ioConfig(IoConfig.DEFAULT.withDisabledFeatures(disabled))
                .http(exchange -> {
                    String path = exchange.request().path();
                    Path file = path.startsWith("/c/") ? dir.resolve("cold").resolve(path.substring(3))
                            : path.equals("/1m") ? large : small;
                    FileHandle handle = exchange.loop().openFile(file); // page cache: opening does not block
                    exchange.response().header("Content-Type", "application/octet-stream")
                            .contentLength(handle.size()).sendFile(handle, 0, handle.size());
                    exchange.response().end();
                })
                .build();
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            System.err.println("io " + server.ioTotals());
            server.stop();
            stopped.countDown();
        }));
        System.out.println("ready " + SocketAddresses.format(server.localAddress()) + " backend="
                + server.backendName() + " features=" + server.features());
        System.out.flush();
        stopped.await();
    }

    private static Path file(Path path, int size) throws Exception {
        if (!Files.exists(path) || Files.size(path) != size) {
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            Files.createDirectories(path.getParent());
            Files.write(path, content);
        }
        return path;
    }
}

package dev.ringserver.cli;

import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.io.IoCounter;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.HttpHandler;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.sys.SocketAddresses;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server: {@code java --enable-native-access=ALL-UNNAMED -jar ringserver-core.jar
 * serve DIR --port 8080} (a static file server), or {@code --hello} or {@code --echo}, through the
 * HTTP/1.1 engine. Prints one line once listening, and runs until interrupted (SIGINT or SIGTERM stop
 * it cleanly). Exit status: 0 after a clean stop, 1 when the server cannot start, 2 for a bad command
 * line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (CliOptions.UsageException e) {
            err.println("ringserver: " + e.getMessage());
            err.print(CliOptions.USAGE);
            return 2;
        }
        if (options.mode().equals("help")) {
            out.print(CliOptions.USAGE);
            return 0;
        }
        HttpHandler handler;
        try {
            handler = switch (options.mode()) {
                case "serve" -> ServeCommand.staticFiles(options.root(), options.serve());
                case "echo" -> new EchoHandler();
                default -> new HelloHandler();
            };
        } catch (IllegalArgumentException e) {
            err.println("ringserver: " + e.getMessage());
            return 1;
        }
        RingServer server;
        try {
            RingServer.Builder builder = RingServer.builder()
                    .address(options.address())
                    .port(options.port())
                    .backend(options.backend())
                    .http(handler);
            if (options.loops() > 0) {
                builder.loops(options.loops());
            }
            server = builder.build();
            server.start();
        } catch (BackendUnavailableException e) {
            err.println("ringserver: " + e.getMessage());
            closeQuietly(handler);
            return 1;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("ringserver: " + e.getMessage());
            closeQuietly(handler);
            return 2;
        } catch (IOException e) {
            err.println("ringserver: cannot start: " + e.getMessage());
            closeQuietly(handler);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        HttpHandler served = handler;
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.stop();
            closeQuietly(served); // after the server: its descriptors were in use until then
            stopped.countDown();
        }));
        if (options.backend().equalsIgnoreCase("auto")) {
            err.println("ringserver: " + server.selectionExplanation());
        }
        out.println("ringserver listening on " + SocketAddresses.format(server.localAddress())
                + " backend=" + server.backendName() + " loops=" + server.loops().size()
                + " features=" + server.features());
        out.flush();
        if (options.statsSeconds() > 0) {
            startStats(server, options.statsSeconds(), err);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void closeQuietly(HttpHandler handler) {
        if (handler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // shutting down: nothing left to report to
            }
        }
    }

    private static void startStats(RingServer server, int seconds, PrintStream err) {
        Thread.ofPlatform().daemon().name("ringserver-stats").start(() -> {
            while (true) {
                try {
                    Thread.sleep(seconds * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                err.println(statsLine(server.ioTotals(), server.connectionTotals(), server.httpTotals()));
            }
        });
    }

    /** One line of counters, {@code stats name=value ...}, for scripts. */
    static String statsLine(Map<IoCounter, Long> io, Map<LoopCounter, Long> connections, Map<HttpCounter, Long> http) {
        StringBuilder line = new StringBuilder("stats");
        append(line, "", io);
        append(line, "connections_", connections);
        append(line, "http_", http);
        return line.toString();
    }

    private static void append(StringBuilder line, String prefix, Map<? extends Enum<?>, Long> counters) {
        counters.forEach((counter, value) -> line.append(' ').append(prefix)
                .append(counter.name().toLowerCase(Locale.ROOT)).append('=').append(value));
    }
}

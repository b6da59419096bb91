package dev.ringserver.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line of the standalone server.
 *
 * @param mode         what the server answers: {@code hello}, {@code echo}, {@code serve} or {@code help}
 * @param address      the address to bind
 * @param port         the port to bind (0: any free port)
 * @param backend      {@code auto}, {@code io_uring}, {@code epoll}, {@code kqueue} or {@code nio}
 * @param loops        event loops (0: one per available processor)
 * @param statsSeconds print counters to standard error this often (0: never)
 * @param root         the directory {@code serve} serves (absolute), or null for the other modes
 * @param serve        how {@code serve} serves it, or null for the other modes
 */
record CliOptions(String mode, String address, int port, String backend, int loops, int statsSeconds, Path root,
                  ServeOptions serve) {

    static final String USAGE = """
            usage: java --enable-native-access=ALL-UNNAMED -jar ringserver-core.jar serve DIR [options]
                   java --enable-native-access=ALL-UNNAMED -jar ringserver-core.jar --hello|--echo [options]

              serve DIR             serve the files under the directory DIR
              --hello               answer every request with 200 "Hello, World!" (keep-alive)
              --echo                GET/HEAD: list the request line and fields; others: echo the body
              --port N              port to listen on (default 8080; 0 picks a free port)
              --address A           address to bind (default 0.0.0.0)
              --backend B           auto | io_uring | epoll | kqueue | nio (default auto)
              --loops N             event loops (default: one per available processor)
              --stats S             print I/O counters to standard error every S seconds
              --help                show this help

            serve only:
              --cache-control V     Cache-Control value sent with every file (default: the file handler's)
              --no-precompressed    never answer with FILE.br or FILE.gz in place of FILE
              --index NAME          file answered for a directory (default index.html)
            """;

    /** The options of the modes that serve no directory. */
    CliOptions(String mode, String address, int port, String backend, int loops, int statsSeconds) {
        this(mode, address, port, backend, loops, statsSeconds, null, null);
    }

    /** Thrown for a command line that cannot be run; the message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static CliOptions parse(List<String> args) throws UsageException {
        String mode = null;
        String address = "0.0.0.0";
        int port = 8080;
        String backend = "auto";
        int loops = 0;
        int stats = 0;
        boolean serve = !args.isEmpty() && args.getFirst().equals("serve");
        String dir = null;
        String cacheControl = null;
        boolean precompressed = true;
        String index = ServeOptions.DEFAULT.index();
        String serveOnly = null;
        for (int i = serve ? 1 : 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--hello" -> mode = exclusive(serve, arg, "hello");
                case "--echo" -> mode = exclusive(serve, arg, "echo");
                case "--port" -> port = intValue(arg, value(args, ++i, arg), 0, 65535);
                case "--address" -> address = value(args, ++i, arg);
                case "--backend" -> backend = value(args, ++i, arg);
                case "--loops" -> loops = intValue(arg, value(args, ++i, arg), 1, 1024);
                case "--stats" -> stats = intValue(arg, value(args, ++i, arg), 1, 3600);
                case "--cache-control" -> {
                    serveOnly = arg;
                    cacheControl = fieldValue(arg, value(args, ++i, arg));
                }
                case "--no-precompressed" -> {
                    serveOnly = arg;
                    precompressed = false;
                }
                case "--index" -> {
                    serveOnly = arg;
                    index = fileName(arg, value(args, ++i, arg));
                }
                case "--help", "-h" -> mode = "help";
                default -> {
                    if (arg.equals("serve")) {
                        throw new UsageException("serve comes first: serve DIR [options]");
                    }
                    if (!serve || arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    if (dir != null) {
                        throw new UsageException("serve takes one directory, not '" + dir + "' and '" + arg + "'");
                    }
                    dir = arg;
                }
            }
        }
        if ("help".equals(mode)) {
            return new CliOptions(mode, address, port, backend, loops, stats);
        }
        if (serve) {
            if (dir == null) {
                throw new UsageException("serve needs a directory: serve DIR [options]");
            }
            return new CliOptions("serve", address, port, backend, loops, stats, directory(dir),
                    new ServeOptions(cacheControl, precompressed, index));
        }
        if (serveOnly != null) {
            throw new UsageException(serveOnly + " applies only to serve DIR");
        }
        if (mode == null) {
            throw new UsageException("choose what to serve: serve DIR, --hello or --echo");
        }
        return new CliOptions(mode, address, port, backend, loops, stats);
    }

    private static String exclusive(boolean serve, String option, String mode) throws UsageException {
        if (serve) {
            throw new UsageException("serve cannot be combined with " + option);
        }
        return mode;
    }

    /** The directory to serve: it must exist, be a directory and be readable. */
    private static Path directory(String dir) throws UsageException {
        Path path;
        try {
            path = Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException("serve: '" + dir + "' is not a valid path: " + e.getReason());
        }
        if (!Files.exists(path)) {
            throw new UsageException("serve: " + path + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            throw new UsageException("serve: " + path + " is not a directory");
        }
        if (!Files.isReadable(path) || !Files.isExecutable(path)) {
            throw new UsageException("serve: " + path + " is not readable by this user");
        }
        return path;
    }

    /** A field value as RFC 9110 allows it: visible ASCII, spaces and tabs inside, not empty. */
    private static String fieldValue(String option, String text) throws UsageException {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new UsageException(option + " needs a value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x21 || c > 0x7E) && c != ' ' && c != '\t') {
                throw new UsageException(option + " must be visible ASCII (a header field value), not '" + text + "'");
            }
        }
        return value;
    }

    /** A file name without a directory part. */
    private static String fileName(String option, String text) throws UsageException {
        if (text.isEmpty() || text.equals(".") || text.equals("..") || text.contains("/") || text.contains("\\")
                || text.indexOf('\0') >= 0) {
            throw new UsageException(option + " needs a file name without a directory, not '" + text + "'");
        }
        return text;
    }

    private static String value(List<String> args, int index, String option) throws UsageException {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(index);
    }

    private static int intValue(String option, String text, int min, int max) throws UsageException {
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new UsageException(option + " must be between " + min + " and " + max + ", not " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, not '" + text + "'");
        }
    }
}

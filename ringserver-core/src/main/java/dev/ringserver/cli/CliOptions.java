package dev.ringserver.cli;

import java.util.List;

/**
 * The command line of the standalone server.
 *
 * @param mode         what the server answers: {@code hello} or {@code echo}
 * @param address      the address to bind
 * @param port         the port to bind (0: any free port)
 * @param backend      {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
 * @param loops        event loops (0: one per available processor)
 * @param statsSeconds print counters to standard error this often (0: never)
 */
record CliOptions(String mode, String address, int port, String backend, int loops, int statsSeconds) {

    static final String USAGE = """
            usage: java --enable-native-access=ALL-UNNAMED -jar ringserver-core.jar --hello|--echo [options]

              --hello               answer every request with 200 "Hello, World!" (keep-alive)
              --echo                GET/HEAD: list the request line and fields; others: echo the body
              --port N              port to listen on (default 8080; 0 picks a free port)
              --address A           address to bind (default 0.0.0.0)
              --backend B           auto | io_uring | epoll | nio (default auto)
              --loops N             event loops (default: one per available processor)
              --stats S             print I/O counters to standard error every S seconds
              --help                show this help
            """;

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
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--hello" -> mode = "hello";
                case "--echo" -> mode = "echo";
                case "--port" -> port = intValue(arg, value(args, ++i, arg), 0, 65535);
                case "--address" -> address = value(args, ++i, arg);
                case "--backend" -> backend = value(args, ++i, arg);
                case "--loops" -> loops = intValue(arg, value(args, ++i, arg), 1, 1024);
                case "--stats" -> stats = intValue(arg, value(args, ++i, arg), 1, 3600);
                case "--help", "-h" -> mode = "help";
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (mode == null) {
            throw new UsageException("choose what to serve: --hello or --echo");
        }
        return new CliOptions(mode, address, port, backend, loops, stats);
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

package dev.ringserver.cli;

import dev.ringserver.io.Backends;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.testing.BackendUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The executable jar as a user runs it: {@code java --enable-native-access=ALL-UNNAMED -jar
 * ringserver-core.jar --hello ...} in a child process.
 */
class CommandLineIT {

    private static final Pattern READY = Pattern.compile(
            "ringserver listening on 127\\.0\\.0\\.1:(\\d+) backend=(\\S+) loops=(\\d+) features=(\\S*)");
    private static final Path SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "kqueue", "nio"})
    void servesHelloOnTheNamedBackend(String backend) throws Exception {
        IoBackendProvider provider = Backends.byName(backend);
        assumeTrue(provider.availability().available(),
                () -> backend + " is unavailable here: " + provider.availability().reason());
        Process server = start("--hello", "--port", "0", "--address", "127.0.0.1", "--backend", backend, "--loops", "2");
        try {
            Matcher ready = awaitReady(server);
            assertThat(ready.group(2)).isEqualTo(backend);
            assertThat(ready.group(3)).isEqualTo("2");
            assertThat(ready.group(4)).isNotEmpty();
            assertHello(Integer.parseInt(ready.group(1)));
        } finally {
            String errors = stop(server);
            assertThat(errors).as("no warnings (restricted methods, stack traces) on standard error")
                    .doesNotContain("WARNING").doesNotContain("Exception");
        }
    }

    @Test
    void autoChoosesTheBestAvailableBackendAndSaysWhy() throws Exception {
        Process server = start("--hello", "--port", "0", "--address", "127.0.0.1");
        try {
            Matcher ready = awaitReady(server);
            assertThat(ready.group(2)).isEqualTo(Backends.select("auto").provider().name());
            assertHello(Integer.parseInt(ready.group(1)));
        } finally {
            assertThat(stop(server)).contains("auto chose " + Backends.select("auto").provider().name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "kqueue", "nio"})
    void echoListsTheParsedHeadAndEchoesBodies(String backend) throws Exception {
        IoBackendProvider provider = Backends.byName(backend);
        assumeTrue(provider.availability().available(),
                () -> backend + " is unavailable here: " + provider.availability().reason());
        Process server = start("--echo", "--port", "0", "--address", "127.0.0.1", "--backend", backend, "--loops", "1");
        try {
            URI uri = URI.create("http://127.0.0.1:" + Integer.parseInt(awaitReady(server).group(1)) + "/a/b?c=d");
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).header("X-Test", "one,  two").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(get.statusCode()).isEqualTo(200);
                assertThat(get.body()).startsWith("GET /a/b?c=d HTTP/1.1\n").contains("\nX-Test: one,  two\n")
                        .containsPattern("(?i)\nhost: 127\\.0\\.0\\.1:\\d+\n");
                HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(head.statusCode()).isEqualTo(200);
                assertThat(head.body()).isEmpty();
                assertThat(head.headers().firstValueAsLong("content-length")).isPresent();

                byte[] body = new byte[300_000];
                new java.util.Random(9).nextBytes(body);
                HttpResponse<byte[]> post = client.send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(post.statusCode()).isEqualTo(200);
                assertThat(post.body()).isEqualTo(body);
                HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(uri)
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(chunked.headers().firstValue("transfer-encoding")).hasValue("chunked");
                assertThat(chunked.body()).isEqualTo(body);
            }
        } finally {
            assertThat(stop(server)).doesNotContain("WARNING").doesNotContain("Exception");
        }
    }

    @Test
    void rejectsABadCommandLineWithUsage() throws Exception {
        Process process = start("--hello", "--port", "eighty");
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("--port needs a number").contains("usage:");
    }

    @Test
    void serveChecksTheDirectory(@TempDir Path dir) throws Exception {
        Process missing = start("serve", dir.resolve("missing").toString(), "--port", "0");
        assertThat(missing.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isEqualTo(2);
        assertThat(new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("serve: " + dir.resolve("missing") + " does not exist").contains("usage:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "kqueue", "nio"})
    void servesADirectory(String backend, @TempDir Path dir) throws Exception {
        IoBackendProvider provider = Backends.byName(backend);
        assumeTrue(provider.availability().available(),
                () -> backend + " is unavailable here: " + provider.availability().reason());
        byte[] large = new byte[300_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31 + 7);
        }
        java.nio.file.Files.write(dir.resolve("large.bin"), large);
        java.nio.file.Files.writeString(dir.resolve("index.html"), "<h1>hi</h1>");
        Process server = start("serve", dir.toString(), "--port", "0", "--address", "127.0.0.1", "--backend", backend,
                "--loops", "1", "--cache-control", "max-age=60");
        try {
            Matcher ready = awaitReady(server);
            int port = Integer.parseInt(ready.group(1));
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/large.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(file.statusCode()).isEqualTo(200);
                assertThat(file.body()).isEqualTo(large);
                assertThat(file.headers().firstValue("Cache-Control")).hasValue("max-age=60");
                HttpResponse<String> index = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(index.statusCode()).isEqualTo(200);
                assertThat(index.body()).isEqualTo("<h1>hi</h1>");
                assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("text/html"));
                HttpResponse<String> escape = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/%2e%2e/%2e%2e/etc/passwd")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(escape.statusCode()).isIn(400, 404);
            }
        } finally {
            String errors = stop(server);
            assertThat(errors).doesNotContain("WARNING").doesNotContain("Exception");
        }
    }

    @Test
    void reportsAnOccupiedPort() throws Exception {
        Process first = start("--hello", "--port", "0", "--address", "127.0.0.1", "--backend", "nio");
        try {
            int port = Integer.parseInt(awaitReady(first).group(1));
            Process second = start("--hello", "--port", String.valueOf(port), "--address", "127.0.0.1", "--backend", "nio");
            assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("cannot start").contains(String.valueOf(port)).contains("another process");
        } finally {
            stop(first);
        }
    }

    /**
     * With {@code kernel.io_uring_disabled=2} (set for a moment; needs root) an explicit io_uring fails
     * at start with the probe's explanation, and auto falls back saying why.
     */
    @Test
    void explainsWhyIoUringIsUnavailable() throws Exception {
        assumeTrue(BackendUnderTest.ioUring().provider().availability().available(), "io_uring is unavailable anyway");
        assumeTrue(Files.isWritable(SYSCTL), "changing kernel.io_uring_disabled needs root");
        String original = Files.readString(SYSCTL).trim();
        Process explicit;
        Process auto;
        try {
            Files.writeString(SYSCTL, "2");
            explicit = start("--hello", "--port", "0", "--address", "127.0.0.1", "--backend", "io_uring");
            auto = start("--hello", "--port", "0", "--address", "127.0.0.1");
            assertThat(explicit.waitFor(20, TimeUnit.SECONDS)).isTrue();
            awaitReady(auto);
        } finally {
            Files.writeString(SYSCTL, original);
        }
        assertThat(explicit.exitValue()).isEqualTo(1);
        assertThat(new String(explicit.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("backend io_uring is unavailable")
                .contains("io_uring_setup failed with EPERM")
                .contains("kernel.io_uring_disabled=2")
                .contains("Choose another backend");
        assertThat(stop(auto)).contains("auto chose epoll; skipped io_uring (io_uring_setup failed with EPERM");
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static Path jar() {
        String path = System.getProperty("ringserver.jar");
        assertThat(path).as("system property ringserver.jar (set by the failsafe configuration)").isNotNull();
        return Path.of(path);
    }

    private static Matcher awaitReady(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the ready line").isNotNull();
        Matcher matcher = READY.matcher(line);
        assertThat(matcher.matches()).as("ready line: " + line).isTrue();
        return matcher;
    }

    private static void assertHello(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello, World!");
        }
    }

    /** Sends SIGTERM, waits for the exit, and returns what the process wrote to standard error. */
    private static String stop(Process process) throws Exception {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its pipes
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}

package dev.ringserver.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The repackaged jar ({@code target/sample-app.jar}) as a user runs it: {@code java -jar} with no JVM
 * flag. It must serve, and say nothing on standard error: in particular no restricted-method warning,
 * which {@code Enable-Native-Access: ALL-UNNAMED} in its manifest prevents. Run by Failsafe, after
 * {@code package}.
 */
class ExecutableJarIT {

    private static final Pattern STARTED =
            Pattern.compile("RingServer started on port (\\d+) \\(http\\) with backend (\\S+)");

    private final Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theManifestEnablesNativeAccessAndStartsTheApplication() throws IOException {
        assertThat(jar).isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertThat(main.getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(main.getValue("Main-Class")).isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
            assertThat(main.getValue("Start-Class")).isEqualTo(SampleApplication.class.getName());
        }
    }

    @Test
    void javaDashJarServesWithoutAnyWarning(@TempDir Path logs) throws Exception {
        Path stdout = logs.resolve("stdout.log");
        Path stderr = logs.resolve("stderr.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=0")
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // Options from the environment would be announced on stderr ("Picked up ..."): the jar alone is tested.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        process = builder.start();

        Matcher started = awaitStartLine(stdout, Duration.ofSeconds(90));
        int port = Integer.parseInt(started.group(1));
        assertThat(started.group(2)).isIn("io_uring", "epoll", "nio");

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> notes = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/notes"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notes.statusCode()).isEqualTo(200);
        assertThat(notes.body()).contains("\"title\":\"Hello\"");
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("ringserver sample");

        // SIGTERM: Boot's shutdown hook runs the graceful shutdown.
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();

        List<String> out = Files.readAllLines(stdout);
        assertThat(Files.readString(stderr)).as("standard error of java -jar").isEmpty();
        assertThat(out).as("log lines at WARN or ERROR").noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        assertThat(out).anyMatch(line -> line.contains("Graceful shutdown complete"));
    }

    private Matcher awaitStartLine(Path stdout, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = STARTED.matcher(Files.readString(stdout));
            if (matcher.find()) {
                return matcher;
            }
            if (!process.isAlive()) {
                fail("java -jar exited with " + process.exitValue() + " before starting:\n" + Files.readString(stdout));
            }
            Thread.sleep(100);
        }
        return fail("no start-up line within " + timeout + ":\n" + Files.readString(stdout));
    }
}

package dev.ringserver.testing;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The curl command-line client, as a second independent HTTP/1.1 implementation for the suites.
 *
 * @param status  the response's status code as curl printed it
 * @param verbose curl's {@code -v} log ({@code >} lines sent, {@code <} lines received), if asked for
 * @param body    the response body
 */
public record Curl(String status, String verbose, byte[] body) {

    /** Skips the calling test, saying why, when there is no curl on the PATH. */
    public static void assumeAvailable() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, "curl"));
        }
        assumeTrue(found, "curl is not on the PATH: this test needs the curl command-line client");
    }

    /** Runs {@code curl --http1.1 <options> <uri>}, keeping its files in {@code dir}; fails unless it exits with 0. */
    public static Curl run(Path dir, URI uri, String... options) throws Exception {
        Path out = dir.resolve("curl-body");
        Path status = dir.resolve("curl-status");
        Path log = dir.resolve("curl-log");
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--http1.1", "--max-time", "60",
                "-o", out.toString(), "-w", "%{http_code}"));
        command.addAll(List.of(options));
        command.add(uri.toString());
        Process process = new ProcessBuilder(command).redirectOutput(status.toFile()).redirectError(log.toFile())
                .start();
        process.getOutputStream().close();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("curl did not finish within 90 s; its log:\n"
                    + Files.readString(log, StandardCharsets.ISO_8859_1));
        }
        String verbose = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertThat(process.exitValue()).as("curl's exit code; its log:\n%s", verbose).isZero();
        return new Curl(Files.readString(status).strip(), verbose, Files.readAllBytes(out));
    }
}

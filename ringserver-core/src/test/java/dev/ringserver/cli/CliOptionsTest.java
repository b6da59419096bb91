package dev.ringserver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliOptionsTest {

    @Test
    void helloAloneUsesDefaults() throws CliOptions.UsageException {
        CliOptions options = CliOptions.parse(List.of("--hello"));

        assertThat(options).isEqualTo(new CliOptions("hello", "0.0.0.0", 8080, "auto", 0, 0));
    }

    @Test
    void parsesEveryOption() throws CliOptions.UsageException {
        CliOptions options = CliOptions.parse(List.of("--port", "9000", "--address", "127.0.0.1",
                "--backend", "epoll", "--loops", "4", "--stats", "10", "--hello"));

        assertThat(options.mode()).isEqualTo("hello");
        assertThat(options.port()).isEqualTo(9000);
        assertThat(options.address()).isEqualTo("127.0.0.1");
        assertThat(options.backend()).isEqualTo("epoll");
        assertThat(options.loops()).isEqualTo(4);
        assertThat(options.statsSeconds()).isEqualTo(10);
    }

    @Test
    void acceptsPortBounds() throws CliOptions.UsageException {
        assertThat(CliOptions.parse(List.of("--hello", "--port", "0")).port()).isZero();
        assertThat(CliOptions.parse(List.of("--hello", "--port", "65535")).port()).isEqualTo(65535);
    }

    @Test
    void laterValueWins() throws CliOptions.UsageException {
        assertThat(CliOptions.parse(List.of("--hello", "--port", "1", "--port", "2")).port()).isEqualTo(2);
    }

    @Test
    void helpNeedsNoMode() throws CliOptions.UsageException {
        assertThat(CliOptions.parse(List.of("--help")).mode()).isEqualTo("help");
        assertThat(CliOptions.parse(List.of("-h")).mode()).isEqualTo("help");
    }

    @Test
    void rejectsUnknownOption() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--bogus")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("unknown option '--bogus'");
    }

    @Test
    void rejectsOptionWithoutValueAtEnd() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--port")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--port needs a value");
    }

    @Test
    void rejectsOptionFollowedByAnotherOption() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--backend", "--hello")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--backend needs a value");
    }

    @Test
    void rejectsNonNumericPort() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--port", "http")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--port needs a number, not 'http'");
    }

    @Test
    void rejectsPortOutOfRange() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--port", "65536")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--port must be between 0 and 65535, not 65536");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--port", "-1")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--port must be between 0 and 65535, not -1");
    }

    @Test
    void rejectsLoopsAndStatsOutOfRange() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--loops", "0")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--loops must be between 1 and 1024, not 0");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--stats", "3601")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--stats must be between 1 and 3600, not 3601");
    }

    @Test
    void rejectsCommandLineWithoutMode() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--port", "80")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("choose what to serve: serve DIR, --hello or --echo");
        assertThatThrownBy(() -> CliOptions.parse(List.of()))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("choose what to serve: serve DIR, --hello or --echo");
    }

    @Test
    void usageListsEveryOption() {
        assertThat(CliOptions.USAGE).startsWith("usage:")
                .contains("--hello", "--port", "--address", "--backend", "--loops", "--stats", "--help")
                .contains("serve DIR", "--cache-control", "--no-precompressed", "--index");
    }

    // ---- serve DIR

    @Test
    void serveTakesADirectoryWithDefaults(@TempDir Path dir) throws CliOptions.UsageException {
        CliOptions options = CliOptions.parse(List.of("serve", dir.toString()));

        assertThat(options).isEqualTo(new CliOptions("serve", "0.0.0.0", 8080, "auto", 0, 0,
                dir.toAbsolutePath().normalize(), ServeOptions.DEFAULT));
        assertThat(options.serve().precompressed()).isTrue();
        assertThat(options.serve().index()).isEqualTo("index.html");
        assertThat(options.serve().cacheControl()).isNull();
    }

    @Test
    void serveParsesEveryOptionBeforeAndAfterTheDirectory(@TempDir Path dir) throws CliOptions.UsageException {
        CliOptions options = CliOptions.parse(List.of("serve", "--port", "9000", dir.toString(), "--address",
                "127.0.0.1", "--backend", "io_uring", "--loops", "2", "--stats", "5", "--cache-control",
                "public, max-age=3600", "--no-precompressed", "--index", "default.htm"));

        assertThat(options.mode()).isEqualTo("serve");
        assertThat(options.root()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(options.port()).isEqualTo(9000);
        assertThat(options.address()).isEqualTo("127.0.0.1");
        assertThat(options.backend()).isEqualTo("io_uring");
        assertThat(options.loops()).isEqualTo(2);
        assertThat(options.statsSeconds()).isEqualTo(5);
        assertThat(options.serve()).isEqualTo(new ServeOptions("public, max-age=3600", false, "default.htm"));
    }

    @Test
    void serveResolvesARelativeDirectory(@TempDir Path dir) throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path relative = cwd.relativize(dir.toAbsolutePath());

        assertThat(CliOptions.parse(List.of("serve", relative + "/./")).root()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void serveNeedsADirectory() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve needs a directory: serve DIR [options]");
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", "--port", "80")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve needs a directory: serve DIR [options]");
    }

    @Test
    void serveRejectsAMissingDirectory(@TempDir Path dir) {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", missing.toString())))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve: " + missing + " does not exist");
    }

    @Test
    void serveRejectsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");

        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", file.toString())))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve: " + file + " is not a directory");
    }

    @Test
    void serveTakesOneDirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", dir.toString(), "other")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve takes one directory, not '" + dir + "' and 'other'");
    }

    @Test
    void serveComesFirst(@TempDir Path dir) {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--port", "80", "serve", dir.toString())))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve comes first: serve DIR [options]");
    }

    @Test
    void serveCannotBeCombinedWithHelloOrEcho(@TempDir Path dir) {
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", dir.toString(), "--hello")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve cannot be combined with --hello");
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", "--echo", dir.toString())))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("serve cannot be combined with --echo");
    }

    @Test
    void serveOptionsNeedServe() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "--no-precompressed")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--no-precompressed applies only to serve DIR");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--echo", "--index", "a.html")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--index applies only to serve DIR");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--cache-control", "no-cache", "--hello")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--cache-control applies only to serve DIR");
    }

    @Test
    void serveRejectsAnIndexWithADirectory(@TempDir Path dir) {
        for (String bad : List.of("a/index.html", "..", ".", "")) {
            assertThatThrownBy(() -> CliOptions.parse(List.of("serve", dir.toString(), "--index", bad)))
                    .as(bad)
                    .isInstanceOf(CliOptions.UsageException.class)
                    .hasMessage("--index needs a file name without a directory, not '" + bad + "'");
        }
    }

    @Test
    void serveRejectsACacheControlThatIsNoFieldValue(@TempDir Path dir) {
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", dir.toString(), "--cache-control", "a\r\nSet-Cookie: x")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessageStartingWith("--cache-control must be visible ASCII");
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", dir.toString(), "--cache-control", "  ")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--cache-control needs a value");
        assertThatThrownBy(() -> CliOptions.parse(List.of("serve", dir.toString(), "--cache-control")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("--cache-control needs a value");
    }

    @Test
    void serveHelpNeedsNoDirectory() throws CliOptions.UsageException {
        assertThat(CliOptions.parse(List.of("serve", "--help")).mode()).isEqualTo("help");
    }

    @Test
    void aWordIsNoOptionOutsideServe() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--hello", "public")))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("unknown option 'public'");
    }
}

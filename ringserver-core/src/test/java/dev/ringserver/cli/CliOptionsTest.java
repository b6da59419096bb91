package dev.ringserver.cli;

import org.junit.jupiter.api.Test;

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
                .hasMessage("choose what to serve: --hello or --echo");
        assertThatThrownBy(() -> CliOptions.parse(List.of()))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessage("choose what to serve: --hello or --echo");
    }

    @Test
    void usageListsEveryOption() {
        assertThat(CliOptions.USAGE).startsWith("usage:")
                .contains("--hello", "--port", "--address", "--backend", "--loops", "--stats", "--help");
    }
}

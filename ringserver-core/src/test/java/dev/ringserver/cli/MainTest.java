package dev.ringserver.cli;

import dev.ringserver.io.Backends;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.io.IoCounter;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.LoopCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MainTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void unknownOptionExitsWithTwoAndPrintsUsage() {
        int status = Main.run(List.of("--bogus"), out, err);

        assertThat(status).isEqualTo(2);
        assertThat(err()).startsWith("ringserver: unknown option '--bogus'").contains("usage:");
        assertThat(out()).isEmpty();
    }

    @Test
    void missingModeExitsWithTwo() {
        int status = Main.run(List.of(), out, err);

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("choose what to serve: serve DIR, --hello or --echo").contains("usage:");
    }

    @Test
    void serveOfAMissingDirectoryExitsWithTwo(@TempDir Path dir) {
        int status = Main.run(List.of("serve", dir.resolve("nope").toString(), "--port", "0"), out, err);

        assertThat(status).isEqualTo(2);
        assertThat(err()).startsWith("ringserver: serve: " + dir.resolve("nope") + " does not exist")
                .contains("usage:");
        assertThat(out()).isEmpty();
    }

    @Test
    void helpPrintsUsageAndExitsWithZero() {
        int status = Main.run(List.of("--help"), out, err);

        assertThat(status).isZero();
        assertThat(out()).isEqualTo(CliOptions.USAGE).startsWith("usage:");
        assertThat(err()).isEmpty();
    }

    @Test
    void unknownBackendExitsWithTwoListingKnownBackends() {
        int status = Main.run(List.of("--hello", "--backend", "select", "--port", "0"), out, err);

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("unknown backend 'select'").contains("io_uring, epoll, kqueue, nio");
        assertThat(out()).isEmpty();
    }

    @Test
    void unavailableBackendExitsWithOne() {
        Optional<IoBackendProvider> unavailable = Backends.all().stream()
                .filter(p -> !p.availability().available()).findFirst();
        assumeTrue(unavailable.isPresent(), "every backend is available here");

        int status = Main.run(List.of("--hello", "--backend", unavailable.get().name(), "--port", "0"), out, err);

        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("backend " + unavailable.get().name() + " is unavailable");
    }

    @Test
    void statsLineListsIoThenConnectionThenHttpCounters() {
        Map<IoCounter, Long> io = new EnumMap<>(IoCounter.class);
        io.put(IoCounter.SUBMISSIONS, 5L);
        io.put(IoCounter.BYTES_SENT, 1024L);
        Map<LoopCounter, Long> connections = new EnumMap<>(LoopCounter.class);
        connections.put(LoopCounter.ACCEPTED, 3L);
        connections.put(LoopCounter.ACTIVE, 1L);

        Map<HttpCounter, Long> http = new EnumMap<>(HttpCounter.class);
        http.put(HttpCounter.REQUESTS, 7L);
        http.put(HttpCounter.ERRORS_431, 2L);

        assertThat(Main.statsLine(io, connections, http)).isEqualTo("stats submissions=5 bytes_sent=1024 "
                + "connections_accepted=3 connections_active=1 http_requests=7 http_errors_431=2");
    }

    @Test
    void statsLineWithoutCountersIsJustTheWord() {
        assertThat(Main.statsLine(Map.of(), Map.of(), Map.of())).isEqualTo("stats");
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }
}

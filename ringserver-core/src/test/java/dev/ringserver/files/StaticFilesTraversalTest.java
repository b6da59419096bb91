package dev.ringserver.files;

import dev.ringserver.server.RingServer;
import dev.ringserver.testing.RawHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traversal table against files on disk, over a real socket (NIO, which runs everywhere): every
 * way out of the root, raw or encoded, through symbolic links or into hidden files, must end in 400
 * or 404 without a byte of what lies outside. Links that stay inside the root work, and links out
 * work only when explicitly allowed.
 */
class StaticFilesTraversalTest {

    @TempDir
    static Path dir;

    static StaticFileHandler strict;
    static StaticFileHandler lenient;
    static RingServer strictServer;
    static RingServer lenientServer;

    @BeforeAll
    static void start() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("secret.txt"), "SECRET");
        Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("secret.txt"), "SECRET");
        Files.writeString(www.resolve("a.txt"), "public a");
        Files.writeString(Files.createDirectories(www.resolve("sub")).resolve("b.txt"), "public b");
        Files.writeString(www.resolve(".hidden"), "HIDDEN");
        Files.writeString(Files.createDirectories(www.resolve("sub/.git")).resolve("config"), "HIDDEN");
        Files.writeString(Files.createDirectories(www.resolve("%2e%2e")).resolve("literal.txt"), "literal");
        Files.createSymbolicLink(www.resolve("link-in"), Path.of("a.txt"));
        Files.createSymbolicLink(www.resolve("sub/link-up-in"), Path.of("../a.txt"));
        Files.createSymbolicLink(www.resolve("link-out"), Path.of("../secret.txt"));
        Files.createSymbolicLink(www.resolve("link-absolute"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(www.resolve("dir-out"), Path.of("../outside"));
        Files.createSymbolicLink(www.resolve("loop"), Path.of("loop"));
        strict = new StaticFileHandler(StaticFilesConfig.builder(www).build());
        lenient = new StaticFileHandler(StaticFilesConfig.builder(www).allowSymlinksOutside(true).serveHidden(true).build());
        strictServer = server(strict);
        lenientServer = server(lenient);
    }

    private static RingServer server(StaticFileHandler handler) throws IOException {
        RingServer server = RingServer.builder().address(InetAddress.getLoopbackAddress()).port(0).loops(1)
                .backend("nio").http(handler).build();
        server.start();
        return server;
    }

    @AfterAll
    static void stop() {
        strictServer.stop();
        lenientServer.stop();
        strict.close();
        lenient.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/a.txt                         | 200 | public a",
            "/sub/b.txt                     | 200 | public b",
            "/./a.txt                       | 200 | public a",
            "//a.txt                        | 200 | public a",
            "/link-in                       | 200 | public a",
            "/sub/link-up-in                | 200 | public a",
            "/%252e%252e/literal.txt        | 200 | literal",
            "/../secret.txt                 | 400 | ''",
            "/sub/../../secret.txt          | 400 | ''",
            "/%2e%2e/secret.txt             | 400 | ''",
            "/%2E%2e/%2e%2E/secret.txt      | 400 | ''",
            "/.%2e/secret.txt               | 400 | ''",
            "/..%2fsecret.txt               | 400 | ''",
            "/sub%2f..%2f..%2fsecret.txt    | 400 | ''",
            "/..%5csecret.txt               | 400 | ''",
            "/..\\secret.txt                | 400 | ''",
            "/a.txt%00                      | 400 | ''",
            "/a.txt%00.html                 | 400 | ''",
            "/%C0%AE%C0%AE/secret.txt       | 400 | ''",
            "/%252e%252e/secret.txt         | 404 | ''",
            "/a.txt.                        | 404 | ''",
            "/a.txt..                       | 404 | ''",
            "/...                           | 404 | ''",
            "/etc/passwd                    | 404 | ''",
            "http://test/../secret.txt      | 400 | ''",
            "http://test//etc/passwd        | 404 | ''",
            "/.hidden                       | 404 | ''",
            "/%2ehidden                     | 404 | ''",
            "/sub/.git/config               | 404 | ''",
            "/link-out                      | 404 | ''",
            "/link-absolute                 | 404 | ''",
            "/dir-out/secret.txt            | 404 | ''",
            "/loop                          | 404 | ''",
    })
    void staysInsideTheRoot(String target, int status, String body) throws IOException {
        RawHttpClient.Response response = get(strictServer, target);
        if (status == 400) {
            // the engine refuses some of these targets itself, before the handler sees them
            assertThat(response.status()).as(target).isIn(400);
        } else {
            assertThat(response.status()).as(target).isEqualTo(status);
        }
        if (status == 200) {
            assertThat(response.bodyText()).isEqualTo(body);
        }
        assertThat(response.bodyText()).doesNotContain("SECRET", "HIDDEN");
    }

    @Test
    void followsLinksOutAndServesHiddenFilesOnlyWhenAllowed() throws IOException {
        assertThat(get(lenientServer, "/link-out").bodyText()).isEqualTo("SECRET");
        assertThat(get(lenientServer, "/dir-out/secret.txt").bodyText()).isEqualTo("SECRET");
        assertThat(get(lenientServer, "/.hidden").bodyText()).isEqualTo("HIDDEN");
        assertThat(get(lenientServer, "/../secret.txt").status()).as("dot-dot, never").isEqualTo(400);
        assertThat(get(lenientServer, "/%2e%2e/secret.txt").status()).isEqualTo(400);
    }

    private static RawHttpClient.Response get(RingServer server, String target) throws IOException {
        try (RawHttpClient client = RawHttpClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                server.port()))) {
            client.send(("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return client.read();
        }
    }
}

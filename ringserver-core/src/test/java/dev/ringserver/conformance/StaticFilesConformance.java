package dev.ringserver.conformance;

import dev.ringserver.files.StaticFileCounter;
import dev.ringserver.files.StaticFileHandler;
import dev.ringserver.files.StaticFilesConfig;
import dev.ringserver.server.HttpHandler;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.HttpFixture;
import dev.ringserver.testing.Leaks;
import dev.ringserver.testing.RawHttpClient;
import dev.ringserver.testing.TestBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.ringserver.testing.TestBodies.ascii;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StaticFileHandler} end to end on one backend: GET and HEAD, validators and conditional
 * requests, ranges and multipart, precompressed siblings, directories, memory and descriptor caches,
 * files that change or are replaced, concurrent downloads and clients that leave mid-transfer. The
 * fixture's check after each test proves that no descriptor or native memory leaked; the handler is
 * closed first so that its cache holds nothing. The 4 GiB download runs where {@link #runsHugeFiles()}
 * says so: once per sendfile implementation.
 */
abstract class StaticFilesConformance {

    /** Above the memory cache's threshold: served by sendfile. */
    static final int LARGE = 1 << 20;

    HttpFixture fixture;
    StaticFileHandler handler;

    @TempDir
    Path root;

    protected abstract BackendUnderTest backendUnderTest();

    /** Whether the 4 GiB download runs here (it needs to once per sendfile path, not per variant). */
    protected boolean runsHugeFiles() {
        return true;
    }

    @BeforeEach
    void setUp() {
        fixture = new HttpFixture(backendUnderTest());
    }

    @AfterEach
    void stopAndCheckLeaks() throws IOException {
        if (handler != null) {
            handler.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    // ---- GET and HEAD

    @Test
    void servesASmallFileFromMemoryWithTypeAndValidators() throws Exception {
        byte[] content = ascii("<!doctype html><title>hi</title>");
        write("index.html", content);
        RawHttpClient client = start(config());
        for (int i = 0; i < 2; i++) {
            RawHttpClient.Response response = get(client, "/index.html");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(content.length));
            assertThat(response.header("ETag")).matches("\"[0-9a-f]+-[0-9a-f]+\"");
            assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
            assertThat(response.header("Vary")).isEqualTo("Accept-Encoding");
            HttpFixture.assertHttpDate(response.header("Last-Modified"));
            assertThat(response.body()).isEqualTo(content);
        }
        assertThat(count(StaticFileCounter.COPIED_BYTES)).isEqualTo(2L * content.length);
        assertThat(count(StaticFileCounter.SENDFILE_BYTES)).isZero();
        assertThat(count(StaticFileCounter.MEMORY_CACHE_HITS)).isEqualTo(1);
    }

    @Test
    void servesALargeFileBySendfileFromTheDescriptorCache() throws Exception {
        byte[] content = TestBodies.pattern(LARGE, 1);
        write("data/large.bin", content);
        RawHttpClient client = start(config().cacheControl("max-age=60"));
        for (int i = 0; i < 3; i++) {
            RawHttpClient.Response response = get(client, "/data/large.bin");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(response.header("Cache-Control")).isEqualTo("max-age=60");
            assertThat(response.body()).isEqualTo(content);
        }
        assertThat(count(StaticFileCounter.SENDFILE_BYTES)).isEqualTo(3L * LARGE);
        assertThat(count(StaticFileCounter.COPIED_BYTES)).isZero();
        assertThat(count(StaticFileCounter.OPEN_FILE_MISSES)).isEqualTo(1);
        assertThat(count(StaticFileCounter.OPEN_FILE_HITS)).isEqualTo(2);
    }

    @Test
    void answersHeadWithTheLengthAndNoBody() throws Exception {
        write("small.txt", ascii("twelve bytes"));
        write("large.bin", TestBodies.pattern(LARGE, 2));
        RawHttpClient client = start(config());
        for (String path : List.of("/small.txt", "/large.bin")) {
            client.send("HEAD " + path + " HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n\r\n");
            RawHttpClient.Response head = client.readHeadResponse();
            assertThat(head.status()).as("Range is ignored for HEAD").isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(path.equals("/small.txt") ? "12" : String.valueOf(LARGE));
            assertThat(head.header("ETag")).isNotNull();
        }
        assertThat(get(client, "/small.txt").bodyText()).isEqualTo("twelve bytes"); // nothing stray on the connection
        assertThat(count(StaticFileCounter.SENDFILE_BYTES) + count(StaticFileCounter.COPIED_BYTES)).isEqualTo(12);
    }

    @Test
    void answersPipelinedRequestsInOrderAndHttp10() throws Exception {
        byte[] small = ascii("small");
        byte[] large = TestBodies.pattern(LARGE, 50);
        write("s.txt", small);
        write("l.bin", large);
        RawHttpClient client = start(config());
        StringBuilder pipeline = new StringBuilder();
        for (String target : List.of("/l.bin", "/s.txt", "/missing", "/l.bin", "/s.txt")) {
            pipeline.append("GET ").append(target).append(" HTTP/1.1\r\nHost: t\r\nRange: bytes=0-\r\n\r\n");
        }
        client.send(pipeline.toString());
        List<RawHttpClient.Response> responses = client.timeout(Duration.ofSeconds(20)).read(5);
        assertThat(responses.get(0).body()).isEqualTo(large);
        assertThat(responses.get(1).body()).isEqualTo(small);
        assertThat(responses.get(2).status()).isEqualTo(404);
        assertThat(responses.get(3).body()).isEqualTo(large);
        assertThat(responses.get(4).body()).isEqualTo(small);

        RawHttpClient old = fixture.connect(server);
        old.send("GET /l.bin HTTP/1.0\r\n\r\n");
        RawHttpClient.Response response = old.read();
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(LARGE));
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(response.body()).isEqualTo(large);
        assertThat(old.awaitClose()).isEqualTo(RawHttpClient.Ending.EOF);
    }

    // ---- conditional requests

    @Test
    void answersNotModifiedForMatchingValidators() throws Exception {
        write("a.css", ascii("body{}"));
        write("b.bin", TestBodies.pattern(LARGE, 3));
        RawHttpClient client = start(config().cacheControl("no-cache"));
        for (String path : List.of("/a.css", "/b.bin")) {
            RawHttpClient.Response first = get(client, path);
            String etag = first.header("ETag");
            String lastModified = first.header("Last-Modified");

            RawHttpClient.Response byTag = get(client, path, "If-None-Match: \"x\", " + etag);
            assertThat(byTag.status()).isEqualTo(304);
            assertThat(byTag.header("ETag")).isEqualTo(etag);
            assertThat(byTag.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(byTag.header("Content-Length")).isNull();
            assertThat(get(client, path, "If-None-Match: W/" + etag).status()).as("weak comparison").isEqualTo(304);
            assertThat(get(client, path, "If-None-Match: *").status()).isEqualTo(304);

            assertThat(get(client, path, "If-Modified-Since: " + lastModified).status()).isEqualTo(304);
            assertThat(get(client, path, "If-Modified-Since: Thu, 01 Jan 1970 00:00:01 GMT").status()).isEqualTo(200);
            assertThat(get(client, path, "If-None-Match: \"other\"", "If-Modified-Since: " + lastModified).status())
                    .as("If-None-Match overrides If-Modified-Since").isEqualTo(200);
            assertThat(get(client, path, "If-Modified-Since: yesterday").status()).as("an invalid date is ignored")
                    .isEqualTo(200);
        }
        assertThat(count(StaticFileCounter.NOT_MODIFIED)).isEqualTo(8);
    }

    @Test
    void answersPreconditionFailedForFailedConditions() throws Exception {
        write("a.txt", ascii("content"));
        RawHttpClient client = start(config());
        String etag = get(client, "/a.txt").header("ETag");
        assertThat(get(client, "/a.txt", "If-Match: \"nope\"").status()).isEqualTo(412);
        assertThat(get(client, "/a.txt", "If-Match: W/" + etag).status()).as("If-Match compares strongly").isEqualTo(412);
        assertThat(get(client, "/a.txt", "If-Match: \"nope\", " + etag).status()).isEqualTo(200);
        assertThat(get(client, "/a.txt", "If-Match: *").status()).isEqualTo(200);
        assertThat(get(client, "/a.txt", "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:01 GMT").status()).isEqualTo(412);
        assertThat(get(client, "/a.txt", "If-Unmodified-Since: Fri, 01 Jan 2100 00:00:00 GMT").status()).isEqualTo(200);
        RawHttpClient.Response failed = get(client, "/a.txt", "If-Match: \"nope\"", "If-None-Match: " + etag);
        assertThat(failed.status()).as("If-Match is evaluated first").isEqualTo(412);
    }

    @Test
    void sendsWeakTagsOrNoneAsConfigured() throws Exception {
        write("a.txt", ascii("content"));
        RawHttpClient client = start(config().etags(StaticFilesConfig.ETags.WEAK));
        String etag = get(client, "/a.txt").header("ETag");
        assertThat(etag).startsWith("W/\"");
        assertThat(get(client, "/a.txt", "If-None-Match: " + etag).status()).isEqualTo(304);
        assertThat(get(client, "/a.txt", "If-Match: " + etag).status()).as("a weak tag never matches strongly")
                .isEqualTo(412);
        assertThat(get(client, "/a.txt", "Range: bytes=0-1", "If-Range: " + etag).status())
                .as("If-Range needs a strong validator").isEqualTo(200);
    }

    // ---- ranges

    @Test
    void servesSingleRangesFromMemoryAndBySendfile() throws Exception {
        byte[] small = TestBodies.pattern(10_000, 4);
        byte[] large = TestBodies.pattern(LARGE, 5);
        write("s.bin", small);
        write("l.bin", large);
        RawHttpClient client = start(config());
        for (String path : List.of("/s.bin", "/l.bin")) {
            byte[] content = path.equals("/s.bin") ? small : large;
            int length = content.length;
            RawHttpClient.Response range = get(client, path, "Range: bytes=100-199");
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("Content-Range")).isEqualTo("bytes 100-199/" + length);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));

            RawHttpClient.Response suffix = get(client, path, "Range: bytes=-300");
            assertThat(suffix.header("Content-Range")).isEqualTo("bytes " + (length - 300) + "-" + (length - 1) + "/" + length);
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, length - 300, length));

            RawHttpClient.Response open = get(client, path, "Range: bytes=" + (length - 10) + "-");
            assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, length - 10, length));

            RawHttpClient.Response clipped = get(client, path, "Range: bytes=" + (length - 5) + "-99999999999");
            assertThat(clipped.header("Content-Range")).isEqualTo("bytes " + (length - 5) + "-" + (length - 1) + "/" + length);

            assertThat(get(client, path, "Range: items=0-1").status()).as("another unit is ignored").isEqualTo(200);
            assertThat(get(client, path, "Range: bytes=5-1").status()).as("an invalid range is ignored").isEqualTo(200);
        }
        assertThat(count(StaticFileCounter.PARTIAL)).isEqualTo(8);
    }

    @Test
    void refusesUnsatisfiableRangesWith416() throws Exception {
        write("s.bin", TestBodies.pattern(1000, 6));
        write("l.bin", TestBodies.pattern(LARGE, 7));
        RawHttpClient client = start(config());
        for (String path : List.of("/s.bin", "/l.bin")) {
            long length = path.equals("/s.bin") ? 1000 : LARGE;
            RawHttpClient.Response response = get(client, path, "Range: bytes=" + length + "-");
            assertThat(response.status()).isEqualTo(416);
            assertThat(response.header("Content-Range")).isEqualTo("bytes */" + length);
            assertThat(get(client, path, "Range: bytes=-0").status()).isEqualTo(416);
            assertThat(get(client, path, "Range: bytes=0-0").status()).as("the connection goes on").isEqualTo(206);
        }
    }

    @Test
    void honoursIfRange() throws Exception {
        byte[] content = TestBodies.pattern(LARGE, 8);
        write("l.bin", content);
        RawHttpClient client = start(config());
        RawHttpClient.Response full = get(client, "/l.bin");
        String etag = full.header("ETag");
        String lastModified = full.header("Last-Modified");
        assertThat(get(client, "/l.bin", "Range: bytes=0-9", "If-Range: " + etag).status()).isEqualTo(206);
        assertThat(get(client, "/l.bin", "Range: bytes=0-9", "If-Range: " + lastModified).status()).isEqualTo(206);
        RawHttpClient.Response stale = get(client, "/l.bin", "Range: bytes=0-9", "If-Range: \"old\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(content);
        assertThat(get(client, "/l.bin", "Range: bytes=0-9", "If-Range: Thu, 01 Jan 1970 00:00:01 GMT").status())
                .isEqualTo(200);
    }

    @Test
    void servesSeveralRangesAsMultipartFromMemoryAndBySendfile() throws Exception {
        byte[] small = TestBodies.pattern(20_000, 9);
        byte[] large = TestBodies.pattern(LARGE, 10);
        write("s.txt", small);
        write("l.txt", large);
        RawHttpClient client = start(config());
        for (String path : List.of("/s.txt", "/l.txt")) {
            byte[] content = path.equals("/s.txt") ? small : large;
            RawHttpClient.Response response = get(client, path, "Range: bytes=0-9, 500-599,-5");
            assertThat(response.status()).isEqualTo(206);
            String type = response.header("Content-Type");
            assertThat(type).startsWith("multipart/byteranges; boundary=");
            List<Part> parts = parseMultipart(response.body(), type.substring(type.indexOf('=') + 1));
            assertThat(parts).hasSize(3);
            assertThat(parts.get(0).contentRange()).isEqualTo("bytes 0-9/" + content.length);
            assertThat(parts.get(0).contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(parts.get(0).body()).isEqualTo(Arrays.copyOfRange(content, 0, 10));
            assertThat(parts.get(1).body()).isEqualTo(Arrays.copyOfRange(content, 500, 600));
            assertThat(parts.get(2).contentRange()).isEqualTo("bytes " + (content.length - 5) + "-" + (content.length - 1)
                    + "/" + content.length);
            assertThat(parts.get(2).body()).isEqualTo(Arrays.copyOfRange(content, content.length - 5, content.length));
            assertThat(get(client, path, "Range: bytes=0-99,50-149").status()).as("overlapping: ignored").isEqualTo(200);
        }
        // more parts than the connection queues file regions at once: continued as it drains
        StringBuilder many = new StringBuilder("Range: bytes=0-0");
        for (int i = 1; i < 16; i++) {
            many.append(',').append(i * 60_000).append('-').append(i * 60_000 + 9);
        }
        List<Part> parts = parseMultipart(get(client, "/l.txt", many.toString()));
        assertThat(parts).hasSize(16);
        assertThat(parts.get(15).body()).isEqualTo(Arrays.copyOfRange(large, 900_000, 900_010));
        assertThat(get(client, "/l.txt", many + ",1000000-1000001").status()).as("over maxRanges: ignored").isEqualTo(200);
    }

    @Test
    void servesARangePastTwoGibibytes() throws Exception {
        long size = (3L << 30) + 4096;
        Path file = root.resolve("sparse.bin");
        byte[] marker = TestBodies.pattern(8192, 11);
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            raf.seek(size - 4096 - 8192);
            raf.write(marker);
        }
        RawHttpClient client = start(config());
        long first = size - 4096 - 8192;
        RawHttpClient.Response response = get(client, "/sparse.bin", "Range: bytes=" + first + "-" + (first + 8191));
        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("Content-Range")).isEqualTo("bytes " + first + "-" + (first + 8191) + "/" + size);
        assertThat(response.body()).isEqualTo(marker);
        client.send("HEAD /sparse.bin HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(client.readHeadResponse().header("Content-Length")).isEqualTo(String.valueOf(size));
    }

    // ---- precompressed siblings

    @Test
    void servesPrecompressedSiblingsToClientsThatAcceptThem() throws Exception {
        byte[] plain = ascii("console.log('plain');".repeat(50));
        byte[] gzip = gzip(plain);
        byte[] brotli = ascii("pretend brotli");
        write("app.js", plain);
        write("app.js.gz", gzip);
        write("app.js.br", brotli);
        write("only.css", plain);
        write("only.css.gz", gzip);
        RawHttpClient client = start(config());

        RawHttpClient.Response br = get(client, "/app.js", "Accept-Encoding: gzip, deflate, br");
        assertThat(br.header("Content-Encoding")).isEqualTo("br");
        assertThat(br.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(br.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(br.body()).isEqualTo(brotli);

        RawHttpClient.Response gz = get(client, "/app.js", "Accept-Encoding: br;q=0.5, gzip");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.body()).isEqualTo(gzip);
        assertThat(gz.header("ETag")).isNotEqualTo(br.header("ETag"));

        RawHttpClient.Response identity = get(client, "/app.js");
        assertThat(identity.header("Content-Encoding")).isNull();
        assertThat(identity.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(identity.body()).isEqualTo(plain);

        assertThat(get(client, "/app.js", "Accept-Encoding: br;q=0, gzip;q=0").header("Content-Encoding")).isNull();
        assertThat(get(client, "/only.css", "Accept-Encoding: br, *;q=0.1").header("Content-Encoding"))
                .as("br has no sibling; * covers gzip").isEqualTo("gzip");
        RawHttpClient.Response noIdentity = get(client, "/app.js", "Accept-Encoding: identity;q=0, gzip");
        assertThat(noIdentity.header("Content-Encoding")).isEqualTo("gzip");
        RawHttpClient.Response range = get(client, "/app.js", "Accept-Encoding: gzip", "Range: bytes=0-1");
        assertThat(range.body()).as("ranges of the encoded representation").isEqualTo(Arrays.copyOfRange(gzip, 0, 2));
        assertThat(get(client, "/app.js.gz").header("Content-Type")).isEqualTo("application/gzip");
    }

    @Test
    void ignoresSiblingsWhenPrecompressionIsOff() throws Exception {
        write("app.js", ascii("plain"));
        write("app.js.gz", ascii("gz"));
        RawHttpClient client = start(config().precompressed(false));
        RawHttpClient.Response response = get(client, "/app.js", "Accept-Encoding: gzip");
        assertThat(response.bodyText()).isEqualTo("plain");
        assertThat(response.header("Vary")).isNull();
    }

    // ---- directories, paths, methods

    @Test
    void answersDirectoriesWithTheirIndexOrNotFound() throws Exception {
        write("index.html", ascii("root index"));
        write("docs/index.html", ascii("docs index"));
        Files.createDirectories(root.resolve("empty"));
        RawHttpClient client = start(config());
        assertThat(get(client, "/").bodyText()).isEqualTo("root index");
        assertThat(get(client, "/docs/").bodyText()).isEqualTo("docs index");
        RawHttpClient.Response redirect = get(client, "/docs?x=1");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/docs/?x=1");
        assertThat(get(client, "/empty/").status()).isEqualTo(404);
        assertThat(get(client, "/missing.txt").status()).isEqualTo(404);
        assertThat(get(client, "/index.html/x").status()).isEqualTo(404);
    }

    @Test
    void servesUnderAPrefixAndPassesTheRestToTheFallback() throws Exception {
        write("app.css", ascii("css"));
        write("index.html", ascii("index"));
        HttpHandler fallback = exchange -> exchange.response().header("Content-Type", "text/plain").end(ascii("fallback"));
        RawHttpClient client = start(config().urlPrefix("/static"), fallback);
        assertThat(get(client, "/static/app.css").bodyText()).isEqualTo("css");
        assertThat(get(client, "/static/").bodyText()).isEqualTo("index");
        assertThat(get(client, "/static").header("Location")).isEqualTo("/static/");
        assertThat(get(client, "/staticx/app.css").bodyText()).isEqualTo("fallback");
        assertThat(get(client, "/app.css").bodyText()).isEqualTo("fallback");
        client.send("POST /static/app.css HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        assertThat(client.read().bodyText()).isEqualTo("fallback");
    }

    @Test
    void refusesOtherMethodsAndTraversalWithoutAFallback() throws Exception {
        write("public/a.txt", ascii("public"));
        write("secret.txt", ascii("secret"));
        write("public/.hidden", ascii("hidden"));
        RawHttpClient client = start(StaticFilesConfig.builder(root.resolve("public")).urlPrefix("/files/"));
        assertThat(get(client, "/files/a.txt").bodyText()).isEqualTo("public");
        client.send("DELETE /files/a.txt HTTP/1.1\r\nHost: t\r\n\r\n");
        RawHttpClient.Response delete = client.read();
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.header("Allow")).isEqualTo("GET, HEAD");
        for (String target : List.of("/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/..%2fsecret.txt",
                "/files/%2e%2e%5csecret.txt", "/files/.hidden", "/files/%2ehidden", "/other")) {
            RawHttpClient fresh = fixture.connect(server); // some of these close the connection
            fresh.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
            RawHttpClient.Response response = fresh.read();
            assertThat(response.status()).as(target).isIn(400, 404);
            assertThat(response.bodyText()).as(target).doesNotContain("secret", "hidden");
        }
    }

    // ---- changes on disk

    @Test
    void neverServesAChangedFileFromACache() throws Exception {
        Path small = write("s.txt", ascii("version-1"));
        Path large = write("l.bin", TestBodies.pattern(LARGE, 12));
        RawHttpClient client = start(config());
        String smallTag = get(client, "/s.txt").header("ETag");
        String largeTag = get(client, "/l.bin").header("ETag");

        // rewritten in place, same size: only the time tells
        Files.write(small, ascii("version-2"));
        Files.setLastModifiedTime(small, FileTime.from(Instant.now().plusSeconds(5)));
        byte[] changed = TestBodies.pattern(LARGE, 13);
        Files.write(large, changed);
        Files.setLastModifiedTime(large, FileTime.from(Instant.now().plusSeconds(5)));

        RawHttpClient.Response smallNow = get(client, "/s.txt", "If-None-Match: " + smallTag);
        assertThat(smallNow.status()).isEqualTo(200);
        assertThat(smallNow.bodyText()).isEqualTo("version-2");
        RawHttpClient.Response largeNow = get(client, "/l.bin", "If-None-Match: " + largeTag);
        assertThat(largeNow.status()).isEqualTo(200);
        assertThat(largeNow.body()).isEqualTo(changed);
        assertThat(count(StaticFileCounter.MEMORY_CACHE_MISSES)).isEqualTo(2);
        assertThat(count(StaticFileCounter.OPEN_FILE_MISSES)).isEqualTo(2);

        Files.delete(large);
        assertThat(get(client, "/l.bin").status()).isEqualTo(404);
    }

    @Test
    void aReplacedFileIsServedWholeOldOrWholeNew() throws Exception {
        int size = 8 << 20; // more than the socket buffers hold: the first transfer is still running
        byte[] old = TestBodies.pattern(size, 14);
        byte[] replacement = TestBodies.pattern(size, 15);
        Path file = write("video.mp4", old);
        RawHttpClient slow = start(config());
        slow.send("GET /video.mp4 HTTP/1.1\r\nHost: t\r\n\r\n");
        Thread.sleep(200); // the transfer has started and stalls on the full socket buffer

        Path next = write("video.mp4.tmp", replacement);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        RawHttpClient fresh = fixture.connect(server);
        RawHttpClient.Response now = get(fresh, "/video.mp4");
        assertThat(Arrays.equals(now.body(), replacement)).as("a new request gets the new file").isTrue();
        RawHttpClient.Response first = slow.timeout(Duration.ofSeconds(30)).read();
        assertThat(Arrays.equals(first.body(), old)).as("the running transfer stays on the old file").isTrue();
        assertThat(first.header("ETag")).isNotEqualTo(now.header("ETag"));
    }

    // ---- load and failure

    @Test
    void servesSixteenConcurrentDownloads() throws Exception {
        byte[][] contents = new byte[4][];
        for (int i = 0; i < contents.length; i++) {
            contents[i] = TestBodies.pattern((2 << 20) + i * 1000, 20 + i);
            write("f" + i + ".bin", contents[i]);
        }
        write("small.txt", ascii("small"));
        start(config());
        List<CompletableFuture<Void>> downloads = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int index = c % contents.length;
            downloads.add(fixture.async(() -> {
                RawHttpClient client = fixture.connect(server).timeout(Duration.ofSeconds(30));
                for (int round = 0; round < 2; round++) {
                    assertThat(get(client, "/f" + index + ".bin").body()).isEqualTo(contents[index]);
                    assertThat(get(client, "/small.txt").bodyText()).isEqualTo("small");
                }
                return null;
            }));
        }
        CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(handler.counters().get(StaticFileCounter.OPEN_FILE_MISSES)).isLessThanOrEqualTo(16);
    }

    @Test
    void clientsLeavingMidTransferLeaveNoDescriptorBehind() throws Exception {
        write("big.bin", TestBodies.pattern(16 << 20, 30));
        RawHttpClient warm = start(config());
        get(warm, "/big.bin", "Range: bytes=0-0"); // the descriptor cache now holds the file
        warm.close();
        HttpFixture.waitUntil(() -> activeConnections() == 0, "the warm-up connection closed");
        int baseline = Leaks.openFdCount();
        for (int i = 0; i < 12; i++) {
            RawHttpClient client = fixture.connect(server);
            String range = switch (i % 3) {
                case 0 -> "";
                case 1 -> "Range: bytes=0-9,1000000-15999999\r\n"; // multipart, parts still queued
                default -> "Range: bytes=100-\r\n";
            };
            client.send("GET /big.bin HTTP/1.1\r\nHost: t\r\n" + range + "\r\n");
            if (i % 4 != 3) {
                client.socket().getInputStream().readNBytes(64 * 1024); // mid-transfer
            } // else: gone before the answer, perhaps before the file was even looked up
            client.socket().setSoLinger(true, 0); // a reset, as when a browser tab is closed
            client.close();
        }
        HttpFixture.waitUntil(() -> activeConnections() == 0, "the server closed the aborted connections");
        HttpFixture.waitUntil(() -> Leaks.openFdCount() <= baseline, "descriptors back to " + baseline);
        // At most the baseline, not exactly: io_uring's splice path may close a pipe of its pool that
        // an aborted transfer left holding bytes (it opens a fresh one when next needed).
        assertThat(Leaks.openFdCount()).isLessThanOrEqualTo(baseline);
        RawHttpClient after = fixture.connect(server);
        assertThat(get(after, "/big.bin", "Range: bytes=5-9").status()).isEqualTo(206);
        assertThat(count(StaticFileCounter.OPEN_FILE_MISSES)).as("one descriptor served them all").isEqualTo(1);
    }

    private long activeConnections() {
        return server.loops().stream().mapToLong(loop -> loop.counters().get(LoopCounter.ACTIVE)).sum();
    }

    @Test
    void answers503WhenTheFileExecutorIsFull() throws Exception {
        write("a.txt", ascii("a"));
        RawHttpClient client = start(config().executor(task -> {
            throw new RejectedExecutionException("full");
        }));
        RawHttpClient.Response response = get(client, "/a.txt");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(count(StaticFileCounter.REJECTED)).isEqualTo(1);
    }

    @Test
    void downloadsASparseFourGibibyteFileWhole() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(runsHugeFiles(), "runs once per sendfile path");
        long size = 4L << 30;
        Path file = root.resolve("huge.bin");
        long offset = (3L << 30) + 12345; // data past 2 and 3 GiB, so a wrong offset changes the checksum
        byte[] data = TestBodies.pattern(1 << 16, 40);
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            raf.seek(offset);
            raf.write(data);
        }
        long expected = StaticFilesDownloads.crc32OfSparse(size, offset, data);
        start(config());
        StaticFilesDownloads.Download download = StaticFilesDownloads.get(server.port(), "/huge.bin");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentLength()).isEqualTo(size);
        assertThat(download.bytes()).isEqualTo(size);
        assertThat(download.crc()).isEqualTo(expected);
        assertThat(count(StaticFileCounter.SENDFILE_BYTES)).isEqualTo(size);
    }

    // ---- helpers

    RingServer server;

    StaticFilesConfig.Builder config() {
        return StaticFilesConfig.builder(root);
    }

    RawHttpClient start(StaticFilesConfig.Builder config) throws IOException {
        return start(config, (HttpHandler) null);
    }

    RawHttpClient start(StaticFilesConfig.Builder config, HttpHandler fallback) throws IOException {
        handler = new StaticFileHandler(config.build(), fallback);
        server = fixture.start(handler);
        return fixture.connect(server);
    }

    static RawHttpClient.Response get(RawHttpClient client, String target, String... fields) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        client.send(request.append("\r\n").toString());
        return client.read();
    }

    long count(StaticFileCounter counter) {
        return handler.counters().get(counter);
    }

    Path write(String name, byte[] content) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    record Part(String contentType, String contentRange, byte[] body) {
    }

    static List<Part> parseMultipart(RawHttpClient.Response response) {
        String type = response.header("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        return parseMultipart(response.body(), type.substring(type.indexOf('=') + 1));
    }

    /** Splits a multipart/byteranges body (RFC 9110 §14.6, RFC 2046 §5.1.1). */
    static List<Part> parseMultipart(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        assertThat(text).startsWith(delimiter + "\r\n").endsWith("\r\n" + delimiter + "--\r\n");
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int start = text.indexOf(delimiter, at);
            int afterDelimiter = start + delimiter.length();
            if (text.startsWith("--", afterDelimiter)) {
                return parts;
            }
            int headEnd = text.indexOf("\r\n\r\n", afterDelimiter);
            String head = text.substring(afterDelimiter + 2, headEnd);
            int next = text.indexOf("\r\n" + delimiter, headEnd + 4);
            String contentType = null;
            String contentRange = null;
            for (String line : head.split("\r\n")) {
                if (line.startsWith("Content-Type: ")) {
                    contentType = line.substring(14);
                } else if (line.startsWith("Content-Range: ")) {
                    contentRange = line.substring(15);
                }
            }
            parts.add(new Part(contentType, contentRange, Arrays.copyOfRange(body, headEnd + 4, next)));
            at = next + 2;
        }
    }
}

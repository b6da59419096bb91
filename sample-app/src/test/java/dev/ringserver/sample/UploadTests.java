package dev.ringserver.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /upload}: streamed bodies get their exact size and SHA-256 back. */
@SampleAppTest
class UploadTests {

    private static final int PIECE = 64 * 1024;
    private static final int PIECES = 320; // 20 MiB
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Autowired
    private WebTestClient client;

    @Test
    void twentyMebibytesStreamedInPiecesGetTheirSizeAndChecksum() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < PIECES; i++) {
            expected.update(piece(i));
        }
        // Generated as the request is written, one piece at a time, sent chunked (no Content-Length).
        Flux<DataBuffer> body = Flux.range(0, PIECES).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(piece(i)));

        UploadResult result = client.post().uri("/upload").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(body, DataBuffer.class).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(UploadResult.class).returnResult().getResponseBody();

        assertThat(result).isNotNull();
        assertThat(result.size()).isEqualTo(20L * 1024 * 1024);
        assertThat(result.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(result.buffers()).as("buffers the server received the body in").isGreaterThan(1);
    }

    @Test
    void aBodyWithContentLength() throws Exception {
        byte[] hello = "hello, ringserver\n".getBytes(StandardCharsets.US_ASCII);
        client.post().uri("/upload").contentType(MediaType.TEXT_PLAIN).bodyValue(hello).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.size").isEqualTo(hello.length)
                .jsonPath("$.sha256").isEqualTo(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(hello)));
    }

    @Test
    void anEmptyBody() {
        client.post().uri("/upload").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.size").isEqualTo(0)
                .jsonPath("$.sha256").isEqualTo(EMPTY_SHA256);
    }

    /** Piece {@code i} of the upload: the same bytes every time it is asked for. */
    private static byte[] piece(int i) {
        byte[] bytes = new byte[PIECE];
        new SplittableRandom(i).nextBytes(bytes);
        return bytes;
    }
}

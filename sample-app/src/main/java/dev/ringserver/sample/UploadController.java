package dev.ringserver.sample;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A streaming upload: the body is hashed piece by piece as it arrives and each buffer is released at
 * once, so an upload of any size takes no more memory than the pieces in flight. The request's demand
 * paces the reads from the socket: a slow consumer slows the client down instead of buffering.
 * Bodies larger than {@code ringserver.http.max-body-size} are refused with 413 by the server.
 */
@RestController
public class UploadController {

    /**
     * Any content type: the raw body, as the server receives it, without a codec. An empty body gives
     * size 0 and the SHA-256 of nothing.
     */
    @PostMapping("/upload")
    public Mono<UploadResult> upload(ServerHttpRequest request) {
        Flux<DataBuffer> body = request.getBody();
        return Mono.defer(() -> {
            Checksum checksum = new Checksum();
            return body.doOnNext(buffer -> {
                        try {
                            checksum.update(buffer);
                        } finally {
                            DataBufferUtils.release(buffer);
                        }
                    })
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then(Mono.fromSupplier(checksum::result));
        });
    }

    /** The running size and digest of one body. Confined to the body's signals, which are serial. */
    private static final class Checksum {

        private final MessageDigest sha256;
        private long size;
        private long buffers;

        Checksum() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        void update(DataBuffer buffer) {
            buffers++;
            size += buffer.readableByteCount();
            try (DataBuffer.ByteBufferIterator pieces = buffer.readableByteBuffers()) {
                while (pieces.hasNext()) {
                    ByteBuffer piece = pieces.next();
                    sha256.update(piece);
                }
            }
        }

        UploadResult result() {
            return new UploadResult(size, HexFormat.of().formatHex(sha256.digest()), buffers);
        }
    }
}

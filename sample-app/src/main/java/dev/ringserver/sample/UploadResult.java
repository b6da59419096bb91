package dev.ringserver.sample;

/**
 * What {@code POST /upload} answers.
 *
 * @param size    the body's length in bytes
 * @param sha256  the body's SHA-256, in lower-case hex
 * @param buffers how many buffers the body arrived in: more than one shows it was streamed
 */
public record UploadResult(long size, String sha256, long buffers) {
}

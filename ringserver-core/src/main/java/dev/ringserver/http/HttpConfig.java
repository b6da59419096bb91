package dev.ringserver.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits, timeouts and leniency switches of the HTTP/1.1 engine. Strict by default: every lenient
 * option is off. Immutable; build variations with {@link #builder()} or {@link #toBuilder()}.
 *
 * @param maxRequestLineBytes     longest request line; longer gets 414
 * @param maxHeaderBytes          largest header section (after the request line, including the
 *                                final blank line); larger gets 431
 * @param maxHeaderCount          most header fields; more gets 431
 * @param maxBodyBytes            largest request body; a larger Content-Length gets 413 before any
 *                                of it is read, a chunked body growing past it gets 413 when it does
 * @param maxChunkLineBytes       longest chunk-size line including extensions; longer gets 400
 * @param maxTrailerBytes         largest trailer section of a chunked body; larger gets 431
 * @param maxDrainBytes           unread request body the engine reads and discards after a response
 *                                to keep the connection; more and the connection is closed instead
 * @param responseBufferBytes     bytes a response may have queued for sending before
 *                                {@code isWritable()} turns false (requests received ahead of the one
 *                                being answered stay in place: at most the receive buffers held, the
 *                                rest in the kernel's socket buffer)
 * @param maxRequestsPerConnection requests served on one connection before it is closed (0: no limit)
 * @param headerTimeout           total time to receive a request head, counted from its first byte;
 *                                exceeded gets 408 and the connection is closed
 * @param idleTimeout             how long a kept-alive connection may wait for its next request; then
 *                                it is closed without a response
 * @param bodyTimeout             longest pause while receiving a request body the handler asked for
 * @param writeTimeout            longest time a response write may wait for the client to read
 * @param lingerTimeout           after an error response, how long to keep reading (and discarding)
 *                                so that the client receives the response before the close
 * @param allowBareLf             accept LF alone as a line ending (RFC 9112 §2.2 lets a recipient do so)
 * @param allowDuplicateContentLength accept repeated Content-Length fields or lists with one value
 * @param allowUnsafeTargetBytes  accept request targets with bytes RFC 3986 does not allow (raw
 *                                non-ASCII, {@code "}, {@code <}, ...) instead of 400
 */
public record HttpConfig(
        int maxRequestLineBytes,
        int maxHeaderBytes,
        int maxHeaderCount,
        long maxBodyBytes,
        int maxChunkLineBytes,
        int maxTrailerBytes,
        long maxDrainBytes,
        int responseBufferBytes,
        int maxRequestsPerConnection,
        Duration headerTimeout,
        Duration idleTimeout,
        Duration bodyTimeout,
        Duration writeTimeout,
        Duration lingerTimeout,
        boolean allowBareLf,
        boolean allowDuplicateContentLength,
        boolean allowUnsafeTargetBytes) {

    /** The defaults: 8 KiB request line and header section, 100 fields, 100 MiB bodies, strict. */
    public static final HttpConfig DEFAULT = builder().build();

    public HttpConfig {
        positive("maxRequestLineBytes", maxRequestLineBytes);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxHeaderCount", maxHeaderCount);
        if (maxRequestLineBytes + maxHeaderBytes > 1 << 20) {
            throw new IllegalArgumentException("request line plus header section must stay below 1 MiB");
        }
        if (maxBodyBytes < 0 || maxDrainBytes < 0 || maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException("body, drain and request limits must not be negative");
        }
        positive("maxChunkLineBytes", maxChunkLineBytes);
        positive("maxTrailerBytes", maxTrailerBytes);
        positive("responseBufferBytes", responseBufferBytes);
        for (Duration timeout : new Duration[] {headerTimeout, idleTimeout, bodyTimeout, writeTimeout, lingerTimeout}) {
            if (Objects.requireNonNull(timeout).isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + timeout);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.maxRequestLineBytes = maxRequestLineBytes;
        builder.maxHeaderBytes = maxHeaderBytes;
        builder.maxHeaderCount = maxHeaderCount;
        builder.maxBodyBytes = maxBodyBytes;
        builder.maxChunkLineBytes = maxChunkLineBytes;
        builder.maxTrailerBytes = maxTrailerBytes;
        builder.maxDrainBytes = maxDrainBytes;
        builder.responseBufferBytes = responseBufferBytes;
        builder.maxRequestsPerConnection = maxRequestsPerConnection;
        builder.headerTimeout = headerTimeout;
        builder.idleTimeout = idleTimeout;
        builder.bodyTimeout = bodyTimeout;
        builder.writeTimeout = writeTimeout;
        builder.lingerTimeout = lingerTimeout;
        builder.allowBareLf = allowBareLf;
        builder.allowDuplicateContentLength = allowDuplicateContentLength;
        builder.allowUnsafeTargetBytes = allowUnsafeTargetBytes;
        return builder;
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Builds an {@link HttpConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxRequestLineBytes = 8 * 1024;
        private int maxHeaderBytes = 8 * 1024;
        private int maxHeaderCount = 100;
        private long maxBodyBytes = 100L << 20;
        private int maxChunkLineBytes = 4 * 1024;
        private int maxTrailerBytes = 8 * 1024;
        private long maxDrainBytes = 1L << 20;
        private int responseBufferBytes = 64 * 1024;
        private int maxRequestsPerConnection;
        private Duration headerTimeout = Duration.ofSeconds(20);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration lingerTimeout = Duration.ofSeconds(2);
        private boolean allowBareLf;
        private boolean allowDuplicateContentLength;
        private boolean allowUnsafeTargetBytes;

        private Builder() {
        }

        public Builder maxRequestLineBytes(int value) {
            maxRequestLineBytes = value;
            return this;
        }

        public Builder maxHeaderBytes(int value) {
            maxHeaderBytes = value;
            return this;
        }

        public Builder maxHeaderCount(int value) {
            maxHeaderCount = value;
            return this;
        }

        public Builder maxBodyBytes(long value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxChunkLineBytes(int value) {
            maxChunkLineBytes = value;
            return this;
        }

        public Builder maxTrailerBytes(int value) {
            maxTrailerBytes = value;
            return this;
        }

        public Builder maxDrainBytes(long value) {
            maxDrainBytes = value;
            return this;
        }

        public Builder responseBufferBytes(int value) {
            responseBufferBytes = value;
            return this;
        }

        public Builder maxRequestsPerConnection(int value) {
            maxRequestsPerConnection = value;
            return this;
        }

        public Builder headerTimeout(Duration value) {
            headerTimeout = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder bodyTimeout(Duration value) {
            bodyTimeout = value;
            return this;
        }

        public Builder writeTimeout(Duration value) {
            writeTimeout = value;
            return this;
        }

        public Builder lingerTimeout(Duration value) {
            lingerTimeout = value;
            return this;
        }

        public Builder allowBareLf(boolean value) {
            allowBareLf = value;
            return this;
        }

        public Builder allowDuplicateContentLength(boolean value) {
            allowDuplicateContentLength = value;
            return this;
        }

        public Builder allowUnsafeTargetBytes(boolean value) {
            allowUnsafeTargetBytes = value;
            return this;
        }

        public HttpConfig build() {
            return new HttpConfig(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                    maxChunkLineBytes, maxTrailerBytes, maxDrainBytes, responseBufferBytes, maxRequestsPerConnection,
                    headerTimeout, idleTimeout, bodyTimeout, writeTimeout, lingerTimeout, allowBareLf,
                    allowDuplicateContentLength, allowUnsafeTargetBytes);
        }
    }
}

package dev.ringserver.spring.autoconfigure;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.IoConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the ringserver web server, under {@code ringserver.*}. Boot's generic
 * {@code server.*} properties (port, address, shutdown, compression,
 * {@code server.max-http-request-header-size}) apply as well.
 *
 * <p>The defaults are the engine's ({@link HttpConfig#DEFAULT}, {@link IoConfig#DEFAULT}). Values
 * are checked when they are bound: a value the engine would refuse fails start-up with the property's
 * name, value and origin (this class validates itself as a Spring {@link Validator}).
 *
 * <p>Not thread-safe: bound once, then read.
 */
@ConfigurationProperties("ringserver")
public class RingServerProperties implements Validator {

    /**
     * I/O backend: auto chooses the best one that works on this machine (on Linux io_uring, then epoll,
     * then nio; on macOS kqueue, then nio) and logs why; naming one (io_uring, epoll, kqueue, nio) makes
     * start-up fail when it cannot run here.
     */
    private String backend = "auto";

    /** Number of event loops (threads serving connections); 0 means one per available processor. */
    private int eventLoops = 0;

    /**
     * Connections one event loop serves at most; at the limit it stops accepting and new connections
     * wait in the kernel's listen backlog.
     */
    private int maxConnectionsPerLoop = 16384;

    private final Http http = new Http();

    private final IoUring ioUring = new IoUring();

    public String getBackend() {
        return backend;
    }

    public void setBackend(String backend) {
        this.backend = backend;
    }

    public int getEventLoops() {
        return eventLoops;
    }

    public void setEventLoops(int eventLoops) {
        this.eventLoops = eventLoops;
    }

    public int getMaxConnectionsPerLoop() {
        return maxConnectionsPerLoop;
    }

    public void setMaxConnectionsPerLoop(int maxConnectionsPerLoop) {
        this.maxConnectionsPerLoop = maxConnectionsPerLoop;
    }

    public Http getHttp() {
        return http;
    }

    public IoUring getIoUring() {
        return ioUring;
    }

    @Override
    public boolean supports(Class<?> type) {
        // The binder offers every bound object to each validator, the nested ones first. Validating each
        // at its own level lets Boot's report show where the offending value was set.
        return RingServerProperties.class.isAssignableFrom(type) || type == Http.class || type == IoUring.class;
    }

    /**
     * Checks the values the engine would refuse. Called by the binder for this object and for each
     * nested group that has bound values (the field names are relative to the object validated).
     */
    @Override
    public void validate(Object target, Errors errors) {
        switch (target) {
            case Http http -> http.validate(errors);
            case IoUring ioUring -> ioUring.validate(errors);
            case RingServerProperties properties -> properties.validateRoot(errors);
            default -> throw new IllegalArgumentException("cannot validate " + target.getClass());
        }
    }

    private void validateRoot(Errors errors) {
        PropertyChecks.range(errors, "eventLoops", eventLoops, 0, 1024, "0 (one loop per processor) to 1024");
        PropertyChecks.range(errors, "maxConnectionsPerLoop", maxConnectionsPerLoop, 1, Integer.MAX_VALUE,
                "at least 1");
        if (!errors.hasErrors()) {
            // The engine's own checks cover combinations (line plus header limits, CQ >= SQ): building the
            // configurations here reports them at bind time too. A header limit left unset comes from
            // server.max-http-request-header-size later; the smallest stand-in checks only the ones set here.
            try {
                http.toHttpConfig(1);
                ioUring.toIoConfig();
            } catch (IllegalArgumentException e) {
                errors.reject("ringserver.invalid", "ringserver settings are inconsistent: " + e.getMessage());
            }
        }
    }

    /**
     * The HTTP/1.1 engine's limits, timeouts and leniency switches ({@link HttpConfig}). Strict by
     * default.
     */
    public static class Http {

        /**
         * Longest request line; longer gets 414. Defaults to server.max-http-request-header-size (8KB unless
         * set).
         */
        private DataSize maxRequestLineSize;

        /**
         * Largest header section (after the request line); larger gets 431. Defaults to
         * server.max-http-request-header-size (8KB unless set).
         */
        private DataSize maxHeaderSize;

        /** Most header fields in one request; more gets 431. */
        private int maxHeaderCount = 100;

        /** Largest request body; a larger Content-Length or chunked body gets 413. */
        private DataSize maxBodySize = DataSize.ofMegabytes(100);

        /** Longest chunk-size line of a chunked body, extensions included; longer gets 400. */
        private DataSize maxChunkLineSize = DataSize.ofKilobytes(4);

        /** Largest trailer section of a chunked body; larger gets 431. */
        private DataSize maxTrailerSize = DataSize.ofKilobytes(8);

        /**
         * Unread request body the server reads and discards after a response to keep the connection
         * open; with more, the connection is closed instead.
         */
        private DataSize maxDrainSize = DataSize.ofMegabytes(1);

        /** Response bytes a connection may have queued for sending before writes wait for the client. */
        private DataSize responseBufferSize = DataSize.ofKilobytes(64);

        /** Requests served on one connection before it is closed; 0 means no limit. */
        private int maxRequestsPerConnection = 0;

        /** Time to receive a whole request head, from its first byte; exceeded gets 408 and a close. */
        private Duration headerTimeout = Duration.ofSeconds(20);

        /** How long a kept-alive connection may wait for its next request before it is closed. */
        private Duration idleTimeout = Duration.ofSeconds(60);

        /** Longest pause while receiving a request body the application reads. */
        private Duration bodyTimeout = Duration.ofSeconds(30);

        /** Longest time a response write may wait for the client to read. */
        private Duration writeTimeout = Duration.ofSeconds(30);

        /** After an error response, how long to keep reading so that the client sees the response before the close. */
        private Duration lingerTimeout = Duration.ofSeconds(2);

        /** Whether to accept a bare LF as a line ending (RFC 9112 section 2.2 allows it; off by default). */
        private boolean allowBareLf = false;

        /** Whether to accept repeated identical Content-Length fields instead of answering 400. */
        private boolean allowDuplicateContentLength = false;

        /** Whether to accept request targets with bytes RFC 3986 does not allow (raw non-ASCII, quotes) instead of 400. */
        private boolean allowUnsafeTargetBytes = false;

        void validate(Errors errors) {
            if (maxRequestLineSize != null) {
                PropertyChecks.size(errors, "maxRequestLineSize", maxRequestLineSize, 1, Integer.MAX_VALUE);
            }
            if (maxHeaderSize != null) {
                PropertyChecks.size(errors, "maxHeaderSize", maxHeaderSize, 1, Integer.MAX_VALUE);
            }
            PropertyChecks.range(errors, "maxHeaderCount", maxHeaderCount, 1, Integer.MAX_VALUE, "at least 1");
            PropertyChecks.size(errors, "maxBodySize", maxBodySize, 0, Long.MAX_VALUE);
            PropertyChecks.size(errors, "maxChunkLineSize", maxChunkLineSize, 1, Integer.MAX_VALUE);
            PropertyChecks.size(errors, "maxTrailerSize", maxTrailerSize, 1, Integer.MAX_VALUE);
            PropertyChecks.size(errors, "maxDrainSize", maxDrainSize, 0, Long.MAX_VALUE);
            PropertyChecks.size(errors, "responseBufferSize", responseBufferSize, 1, Integer.MAX_VALUE);
            PropertyChecks.range(errors, "maxRequestsPerConnection", maxRequestsPerConnection, 0,
                    Integer.MAX_VALUE, "0 (no limit) or more");
            PropertyChecks.positive(errors, "headerTimeout", headerTimeout);
            PropertyChecks.positive(errors, "idleTimeout", idleTimeout);
            PropertyChecks.positive(errors, "bodyTimeout", bodyTimeout);
            PropertyChecks.positive(errors, "writeTimeout", writeTimeout);
            PropertyChecks.positive(errors, "lingerTimeout", lingerTimeout);
        }

        /**
         * The engine configuration these properties describe.
         *
         * @param headerLimitBytes the request line and header section limit where neither is set here
         *                         (from {@code server.max-http-request-header-size})
         * @throws IllegalArgumentException when the engine refuses the combination
         */
        public HttpConfig toHttpConfig(int headerLimitBytes) {
            return HttpConfig.builder()
                    .maxRequestLineBytes(maxRequestLineSize != null ? (int) maxRequestLineSize.toBytes() : headerLimitBytes)
                    .maxHeaderBytes(maxHeaderSize != null ? (int) maxHeaderSize.toBytes() : headerLimitBytes)
                    .maxHeaderCount(maxHeaderCount)
                    .maxBodyBytes(maxBodySize.toBytes())
                    .maxChunkLineBytes((int) maxChunkLineSize.toBytes())
                    .maxTrailerBytes((int) maxTrailerSize.toBytes())
                    .maxDrainBytes(maxDrainSize.toBytes())
                    .responseBufferBytes((int) responseBufferSize.toBytes())
                    .maxRequestsPerConnection(maxRequestsPerConnection)
                    .headerTimeout(headerTimeout)
                    .idleTimeout(idleTimeout)
                    .bodyTimeout(bodyTimeout)
                    .writeTimeout(writeTimeout)
                    .lingerTimeout(lingerTimeout)
                    .allowBareLf(allowBareLf)
                    .allowDuplicateContentLength(allowDuplicateContentLength)
                    .allowUnsafeTargetBytes(allowUnsafeTargetBytes)
                    .build();
        }

        public DataSize getMaxRequestLineSize() {
            return maxRequestLineSize;
        }

        public void setMaxRequestLineSize(DataSize maxRequestLineSize) {
            this.maxRequestLineSize = maxRequestLineSize;
        }

        public DataSize getMaxHeaderSize() {
            return maxHeaderSize;
        }

        public void setMaxHeaderSize(DataSize maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
        }

        public int getMaxHeaderCount() {
            return maxHeaderCount;
        }

        public void setMaxHeaderCount(int maxHeaderCount) {
            this.maxHeaderCount = maxHeaderCount;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        public DataSize getMaxChunkLineSize() {
            return maxChunkLineSize;
        }

        public void setMaxChunkLineSize(DataSize maxChunkLineSize) {
            this.maxChunkLineSize = maxChunkLineSize;
        }

        public DataSize getMaxTrailerSize() {
            return maxTrailerSize;
        }

        public void setMaxTrailerSize(DataSize maxTrailerSize) {
            this.maxTrailerSize = maxTrailerSize;
        }

        public DataSize getMaxDrainSize() {
            return maxDrainSize;
        }

        public void setMaxDrainSize(DataSize maxDrainSize) {
            this.maxDrainSize = maxDrainSize;
        }

        public DataSize getResponseBufferSize() {
            return responseBufferSize;
        }

        public void setResponseBufferSize(DataSize responseBufferSize) {
            this.responseBufferSize = responseBufferSize;
        }

        public int getMaxRequestsPerConnection() {
            return maxRequestsPerConnection;
        }

        public void setMaxRequestsPerConnection(int maxRequestsPerConnection) {
            this.maxRequestsPerConnection = maxRequestsPerConnection;
        }

        public Duration getHeaderTimeout() {
            return headerTimeout;
        }

        public void setHeaderTimeout(Duration headerTimeout) {
            this.headerTimeout = headerTimeout;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public Duration getBodyTimeout() {
            return bodyTimeout;
        }

        public void setBodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = bodyTimeout;
        }

        public Duration getWriteTimeout() {
            return writeTimeout;
        }

        public void setWriteTimeout(Duration writeTimeout) {
            this.writeTimeout = writeTimeout;
        }

        public Duration getLingerTimeout() {
            return lingerTimeout;
        }

        public void setLingerTimeout(Duration lingerTimeout) {
            this.lingerTimeout = lingerTimeout;
        }

        public boolean isAllowBareLf() {
            return allowBareLf;
        }

        public void setAllowBareLf(boolean allowBareLf) {
            this.allowBareLf = allowBareLf;
        }

        public boolean isAllowDuplicateContentLength() {
            return allowDuplicateContentLength;
        }

        public void setAllowDuplicateContentLength(boolean allowDuplicateContentLength) {
            this.allowDuplicateContentLength = allowDuplicateContentLength;
        }

        public boolean isAllowUnsafeTargetBytes() {
            return allowUnsafeTargetBytes;
        }

        public void setAllowUnsafeTargetBytes(boolean allowUnsafeTargetBytes) {
            this.allowUnsafeTargetBytes = allowUnsafeTargetBytes;
        }
    }

    /**
     * The io_uring backend's rings and buffer ring ({@link IoConfig}). The receive buffers are also
     * the epoll, kqueue and nio backends' receive buffers.
     */
    public static class IoUring {

        /**
         * io_uring features that may be turned off even when the kernel has them. Turning one off
         * exercises the fallback path; it never makes the backend unavailable.
         */
        public static final List<String> SWITCHABLE_FEATURES = List.of("single_issuer", "defer_taskrun",
                "coop_taskrun", "submit_all", "no_sqarray", "cq_size", "registered_ring", "ext_arg", "buffer_ring",
                "multishot_accept", "multishot_recv", "splice", "sync_sendfile");

        /** Submission queue entries per event loop (a power of two from 8 to 32768). */
        private int submissionQueueEntries = 256;

        /**
         * Completion queue entries per event loop (a power of two, at least the submission queue's,
         * at most 1048576).
         */
        private int completionQueueEntries = 8192;

        /** Size of each receive buffer (the buffer ring's entries), from 512B to 1MB. */
        private DataSize recvBufferSize = DataSize.ofKilobytes(16);

        /**
         * Receive buffers per event loop (the buffer ring's length; a power of two from 2 to 32768). When
         * all are in use, receiving pauses until one is released.
         */
        private int recvBufferCount = 512;

        /**
         * io_uring features to leave off even when the kernel has them (for example buffer_ring), to run
         * the fallback paths.
         */
        private Set<String> disabledFeatures = new LinkedHashSet<>();

        void validate(Errors errors) {
            PropertyChecks.powerOfTwo(errors, "submissionQueueEntries", submissionQueueEntries, 8, 1 << 15);
            PropertyChecks.powerOfTwo(errors, "completionQueueEntries", completionQueueEntries, 8, 1 << 20);
            if (completionQueueEntries < submissionQueueEntries) {
                errors.rejectValue("completionQueueEntries", "ringserver.range",
                        "must be at least submission-queue-entries (" + submissionQueueEntries + ")");
            }
            PropertyChecks.size(errors, "recvBufferSize", recvBufferSize, 512, 1 << 20);
            PropertyChecks.powerOfTwo(errors, "recvBufferCount", recvBufferCount, 2, 1 << 15);
            for (String feature : disabledFeatures) {
                if (!SWITCHABLE_FEATURES.contains(feature)) {
                    errors.rejectValue("disabledFeatures", "ringserver.feature", "'" + feature
                            + "' is not an io_uring feature that can be turned off; expected any of "
                            + String.join(", ", SWITCHABLE_FEATURES));
                }
            }
        }

        /**
         * The backend configuration these properties describe; the settings without a property keep
         * {@link IoConfig#DEFAULT}'s values.
         *
         * @throws IllegalArgumentException when the backend refuses the combination
         */
        public IoConfig toIoConfig() {
            return IoConfig.DEFAULT
                    .withRecvBuffers((int) recvBufferSize.toBytes(), recvBufferCount)
                    .withQueueEntries(submissionQueueEntries, completionQueueEntries)
                    .withDisabledFeatures(disabledFeatures);
        }

        public int getSubmissionQueueEntries() {
            return submissionQueueEntries;
        }

        public void setSubmissionQueueEntries(int submissionQueueEntries) {
            this.submissionQueueEntries = submissionQueueEntries;
        }

        public int getCompletionQueueEntries() {
            return completionQueueEntries;
        }

        public void setCompletionQueueEntries(int completionQueueEntries) {
            this.completionQueueEntries = completionQueueEntries;
        }

        public DataSize getRecvBufferSize() {
            return recvBufferSize;
        }

        public void setRecvBufferSize(DataSize recvBufferSize) {
            this.recvBufferSize = recvBufferSize;
        }

        public int getRecvBufferCount() {
            return recvBufferCount;
        }

        public void setRecvBufferCount(int recvBufferCount) {
            this.recvBufferCount = recvBufferCount;
        }

        public Set<String> getDisabledFeatures() {
            return disabledFeatures;
        }

        public void setDisabledFeatures(Set<String> disabledFeatures) {
            this.disabledFeatures = disabledFeatures;
        }
    }
}

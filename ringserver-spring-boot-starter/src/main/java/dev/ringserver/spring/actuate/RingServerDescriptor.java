package dev.ringserver.spring.actuate;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.IoConfig;
import dev.ringserver.spring.autoconfigure.RingBackends;

import java.util.List;

/**
 * What the {@code ringserver} actuator endpoint reports: which backend runs and why, what every
 * backend's probe found on this machine, the event loops with their load, and the limits in effect.
 * Plain records of strings and numbers, so that the JSON stays stable whatever the JSON library.
 *
 * @param state             {@code running}, or {@code stopped} when no server runs (not started yet,
 *                          stopped, or a port of -1)
 * @param backend           the backend in use; when stopped, the one configured
 * @param configuredBackend {@code ringserver.backend} as applied: {@code auto} or a backend's name
 * @param selection         why the backend in use was chosen, naming each better one skipped and why;
 *                          empty when stopped
 * @param features          the features the backend runs with, as loop 0 reports them
 * @param backends          every backend's probe result, in the order {@code auto} tries them
 * @param os                operating system and architecture ({@code os.name}/{@code os.arch})
 * @param kernelRelease     the kernel release ({@code os.version}), which decides io_uring's features
 * @param port              the bound port, or -1 when stopped
 * @param loops             each event loop's load
 * @param limits            the configuration in effect; null when the factory is not ringserver's
 */
public record RingServerDescriptor(String state, String backend, String configuredBackend, String selection,
                                   String features, List<RingBackends.Probe> backends, String os,
                                   String kernelRelease, int port, List<Loop> loops, Limits limits) {

    /**
     * One event loop's load, read as it is now.
     *
     * @param index             the loop's position, from 0
     * @param activeConnections connections open on it
     * @param activeRequests    requests being handled on it
     * @param acceptedConnections connections it accepted since start
     * @param requests          requests it handed to the application since start
     */
    public record Loop(int index, long activeConnections, long activeRequests, long acceptedConnections,
                       long requests) {
    }

    /**
     * The limits the server runs with.
     *
     * @param eventLoops the number of event loops (when stopped: as configured, 0 meaning one per
     *                   processor)
     * @param http       the HTTP engine's limits and timeouts
     * @param io         the backend's queue and buffer sizes
     */
    public record Limits(int eventLoops, Http http, Io io) {
    }

    /**
     * {@link HttpConfig} with durations as ISO-8601 strings ({@code PT20S}).
     */
    public record Http(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes,
                       int maxChunkLineBytes, int maxTrailerBytes, long maxDrainBytes, int responseBufferBytes,
                       int maxRequestsPerConnection, String headerTimeout, String idleTimeout, String bodyTimeout,
                       String writeTimeout, String lingerTimeout, boolean allowBareLf,
                       boolean allowDuplicateContentLength, boolean allowUnsafeTargetBytes) {

        static Http of(HttpConfig config) {
            return new Http(config.maxRequestLineBytes(), config.maxHeaderBytes(), config.maxHeaderCount(),
                    config.maxBodyBytes(), config.maxChunkLineBytes(), config.maxTrailerBytes(), config.maxDrainBytes(),
                    config.responseBufferBytes(), config.maxRequestsPerConnection(), config.headerTimeout().toString(),
                    config.idleTimeout().toString(), config.bodyTimeout().toString(), config.writeTimeout().toString(),
                    config.lingerTimeout().toString(), config.allowBareLf(), config.allowDuplicateContentLength(),
                    config.allowUnsafeTargetBytes());
        }
    }

    /**
     * {@link IoConfig}, with the disabled io_uring features sorted.
     */
    public record Io(int recvBufferSize, int recvBufferCount, int submissionQueueEntries, int completionQueueEntries,
                     int maxPendingTimeouts, int maxEventsPerPoll, List<String> disabledFeatures) {

        static Io of(IoConfig config) {
            return new Io(config.recvBufferSize(), config.recvBufferCount(), config.submissionQueueEntries(),
                    config.completionQueueEntries(), config.maxPendingTimeouts(), config.maxEventsPerPoll(),
                    config.disabledFeatures().stream().sorted().toList());
        }
    }
}

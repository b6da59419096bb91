package dev.ringserver.server;

import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.io.IoConfig;
import dev.ringserver.io.ListenOptions;

/**
 * The settings every event loop of one server shares; built by {@link RingServer.Builder}.
 *
 * @param provider              the selected backend (null until the server starts)
 * @param ioConfig              the backend's buffer and queue sizes
 * @param listenOptions         backlog and {@code SO_REUSEPORT} (decided when the server starts)
 * @param handlerFactory        the protocol for accepted connections
 * @param maxConnectionsPerLoop connections one loop serves at most; more are closed at once
 * @param maxOutboundBytes      bytes one connection may queue for sending
 * @param outboundChunkSize     bytes per outbound buffer chunk
 * @param outboundPoolBytes     outbound buffer memory one loop may hold
 * @param taskQueueCapacity     tasks that may wait for one loop
 * @param maxTimersPerLoop      scheduled tasks that may be pending on one loop
 * @param stopTimeoutNanos      how long a stopping loop waits for its connections to close
 */
record ServerSettings(
        IoBackendProvider provider,
        IoConfig ioConfig,
        ListenOptions listenOptions,
        ConnectionHandler.Factory handlerFactory,
        int maxConnectionsPerLoop,
        long maxOutboundBytes,
        int outboundChunkSize,
        long outboundPoolBytes,
        int taskQueueCapacity,
        int maxTimersPerLoop,
        long stopTimeoutNanos) {

    /** These settings for a chosen backend and listener configuration. */
    ServerSettings forBackend(IoBackendProvider chosen, ListenOptions options) {
        return new ServerSettings(chosen, ioConfig, options, handlerFactory, maxConnectionsPerLoop, maxOutboundBytes,
                outboundChunkSize, outboundPoolBytes, taskQueueCapacity, maxTimersPerLoop, stopTimeoutNanos);
    }
}

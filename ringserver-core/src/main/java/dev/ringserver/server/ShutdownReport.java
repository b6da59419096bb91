package dev.ringserver.server;

/**
 * How a graceful shutdown ended.
 *
 * @param idle            true when every connection had finished before the deadline
 * @param activeRequests  requests still being handled at the deadline (they were aborted)
 * @param openConnections connections still open at the deadline (they were closed)
 */
public record ShutdownReport(boolean idle, long activeRequests, long openConnections) {
}

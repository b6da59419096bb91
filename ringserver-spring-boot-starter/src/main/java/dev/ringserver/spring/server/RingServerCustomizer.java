package dev.ringserver.spring.server;

import dev.ringserver.server.RingServer;

/**
 * Adjusts the core server's builder before each start, after the factory applied its own settings:
 * the way to reach a {@link RingServer.Builder} option that has no property.
 */
@FunctionalInterface
public interface RingServerCustomizer {

    void customize(RingServer.Builder builder);
}

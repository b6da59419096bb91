package dev.ringserver.spring.autoconfigure;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Applies {@link RingServerProperties} and the parts of Boot's settings that each server maps
 * itself: {@code server.max-http-request-header-size} (the request line and header section limits,
 * unless {@code ringserver.http.*} sets them), {@code server.server-header}, and
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (how long stopping waits for connections).
 *
 * <p>It also checks an explicitly chosen backend here, before the server is created, so that a
 * backend that cannot run (or an unknown name) stops start-up with the probe's reason.
 *
 * <p>Runs at order 0, with Boot's own customizer; application customizers run later and win. Boot
 * calls it once per factory, on the thread refreshing the context.
 */
public class RingServerWebServerFactoryCustomizer
        implements WebServerFactoryCustomizer<RingServerReactiveWebServerFactory>, Ordered {

    private final RingServerProperties properties;
    private final ServerProperties serverProperties;
    private final Duration shutdownPhaseTimeout;

    /**
     * @param shutdownPhaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase}: the longest
     *                             Boot waits in one shutdown phase, so the longest stopping may wait
     */
    public RingServerWebServerFactoryCustomizer(RingServerProperties properties, ServerProperties serverProperties,
            Duration shutdownPhaseTimeout) {
        this.properties = properties;
        this.serverProperties = serverProperties;
        this.shutdownPhaseTimeout = shutdownPhaseTimeout;
    }

    @Override
    public void customize(RingServerReactiveWebServerFactory factory) {
        factory.setBackend(RingBackends.requireUsable(properties.getBackend()));
        factory.setEventLoops(properties.getEventLoops());
        factory.setHttpConfig(httpConfig());
        factory.setIoConfig(properties.getIoUring().toIoConfig());
        factory.setStopTimeout(shutdownPhaseTimeout);
        int maxConnectionsPerLoop = properties.getMaxConnectionsPerLoop();
        factory.addServerCustomizers(builder -> builder.maxConnectionsPerLoop(maxConnectionsPerLoop));
        // Boot's reactive customizer leaves the server header to each server.
        if (serverProperties.getServerHeader() != null) {
            factory.setServerHeader(serverProperties.getServerHeader());
        }
    }

    private HttpConfig httpConfig() {
        DataSize headerSize = serverProperties.getMaxHttpRequestHeaderSize();
        // Like the other servers, a size that is not positive means "the server's default".
        boolean usable = headerSize != null && headerSize.toBytes() > 0;
        int headerLimit = usable ? (int) Math.min(headerSize.toBytes(), Integer.MAX_VALUE)
                : HttpConfig.DEFAULT.maxHeaderBytes();
        try {
            return properties.getHttp().toHttpConfig(headerLimit);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("server.max-http-request-header-size=" + headerSize
                    + " cannot be applied to ringserver, which uses it for both the request line and the header "
                    + "section: " + e.getMessage() + ". Set a smaller value, or set "
                    + "ringserver.http.max-request-line-size and ringserver.http.max-header-size", e);
        }
    }

    @Override
    public int getOrder() {
        return 0;
    }
}

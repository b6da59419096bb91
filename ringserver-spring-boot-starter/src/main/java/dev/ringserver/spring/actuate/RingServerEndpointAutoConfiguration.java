package dev.ringserver.spring.actuate;

import dev.ringserver.server.RingServer;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The {@link RingServerEndpoint} when the actuator is on the class path and the endpoint is enabled
 * and exposed ({@code management.endpoints.web.exposure.include=ringserver}).
 */
@AutoConfiguration
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class, RingServer.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnAvailableEndpoint(RingServerEndpoint.class)
public final class RingServerEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RingServerEndpoint ringServerEndpoint(ApplicationContext context,
            ObjectProvider<RingServerReactiveWebServerFactory> factory) {
        // Both are looked up on each read: the web server exists only once the context has refreshed.
        return new RingServerEndpoint(() -> RingServerEndpoint.webServerOf(context), factory::getIfUnique);
    }
}

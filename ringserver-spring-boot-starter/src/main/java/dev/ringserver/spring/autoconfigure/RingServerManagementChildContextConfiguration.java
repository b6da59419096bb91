package dev.ringserver.spring.autoconfigure;

import dev.ringserver.server.RingServer;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Configuration of the management server's own context (when {@code management.server.port}
 * differs): the actuator's endpoints need one event loop, not one per processor, so the second
 * server does not double the application's loop threads, and none of the application's static
 * locations. The rest of {@code ringserver.*} applies to it as to the application's server.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnClass(RingServer.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class RingServerManagementChildContextConfiguration {

    @Bean
    ManagementServerEventLoops ringServerManagementEventLoops() {
        return new ManagementServerEventLoops();
    }

    /** Sets one event loop, after the properties were applied. */
    static final class ManagementServerEventLoops
            implements WebServerFactoryCustomizer<RingServerReactiveWebServerFactory>, Ordered {

        @Override
        public void customize(RingServerReactiveWebServerFactory factory) {
            factory.setEventLoops(1);
            factory.setStaticFiles(java.util.List.of()); // ringserver.static.* is the application's, not the actuator's
        }

        @Override
        public int getOrder() {
            return 1; // after RingServerWebServerFactoryCustomizer (0)
        }
    }
}

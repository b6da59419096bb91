package dev.ringserver.spring.autoconfigure;

import dev.ringserver.server.RingServer;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Lets {@code management.server.port} differ from {@code server.port}: the actuator then builds a
 * child context for its endpoints, and this factory gives that context a second ringserver, created
 * from the main server's factory class and configured by the same properties.
 *
 * <p>Only when the main server is ringserver. Primary because Netty's equivalent registers one too
 * when its jar is on the class path, and the actuator injects exactly one: the management server
 * should run on the same server as the application.
 */
@AutoConfiguration(after = RingServerReactiveWebServerAutoConfiguration.class)
@ConditionalOnClass({RingServer.class, ManagementContextFactory.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
@ConditionalOnBean(RingServerReactiveWebServerFactory.class)
public final class RingServerReactiveManagementContextAutoConfiguration {

    @Bean
    @Primary
    static ManagementContextFactory ringServerManagementContextFactory() {
        return new ManagementContextFactory(WebApplicationType.REACTIVE, ReactiveWebServerFactory.class,
                RingServerReactiveWebServerAutoConfiguration.class);
    }
}

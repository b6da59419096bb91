package dev.ringserver.spring.autoconfigure;

import dev.ringserver.server.RingServer;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import dev.ringserver.spring.server.RingServerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerConfiguration;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.ReactiveHttpInputMessage;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Makes ringserver the reactive web server: a {@link RingServerReactiveWebServerFactory} unless the
 * application defines its own {@link ReactiveWebServerFactory}, configured from
 * {@link RingServerProperties} and Boot's {@code server.*} properties.
 *
 * <p>Ordered before Boot's Netty, Jetty and Tomcat reactive auto-configurations: when one of their
 * jars is on the class path as well (a transitive {@code spring-boot-reactor-netty}, say), ringserver
 * registers its factory first and theirs back off. The names are strings so that none of those jars
 * is needed.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
        "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration",
        "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration"})
@ConditionalOnClass({ReactiveHttpInputMessage.class, Mono.class, RingServer.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties({RingServerProperties.class, RingServerStaticProperties.class})
@Import(ReactiveWebServerConfiguration.class)
public final class RingServerReactiveWebServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ReactiveWebServerFactory.class)
    RingServerReactiveWebServerFactory ringServerReactiveWebServerFactory(
            ObjectProvider<RingServerCustomizer> serverCustomizers) {
        RingServerReactiveWebServerFactory factory = new RingServerReactiveWebServerFactory();
        factory.setServerCustomizers(serverCustomizers.orderedStream().toList());
        return factory;
    }

    @Bean
    RingServerWebServerFactoryCustomizer ringServerWebServerFactoryCustomizer(RingServerProperties properties,
            ServerProperties serverProperties, ObjectProvider<LifecycleProperties> lifecycleProperties) {
        // LifecycleProperties is bound by Boot's LifecycleAutoConfiguration; without it, its default applies.
        Duration shutdownPhaseTimeout = lifecycleProperties.getIfAvailable(LifecycleProperties::new)
                .getTimeoutPerShutdownPhase();
        return new RingServerWebServerFactoryCustomizer(properties, serverProperties, shutdownPhaseTimeout);
    }

    /** {@code ringserver.static.*}: directories the server answers for before the application. */
    @Bean
    StaticFilesCustomizer ringServerStaticFilesCustomizer(RingServerStaticProperties staticProperties) {
        return new StaticFilesCustomizer(staticProperties);
    }

    /**
     * Applies {@code ringserver.static.*} at order 0 with the other properties, so later customizers
     * (the management server's, the application's) can change it.
     */
    static final class StaticFilesCustomizer
            implements WebServerFactoryCustomizer<RingServerReactiveWebServerFactory>, Ordered {

        private final RingServerStaticProperties properties;

        StaticFilesCustomizer(RingServerStaticProperties properties) {
            this.properties = properties;
        }

        @Override
        public void customize(RingServerReactiveWebServerFactory factory) {
            factory.setStaticFiles(properties.toConfigs());
        }

        @Override
        public int getOrder() {
            return 0;
        }
    }
}

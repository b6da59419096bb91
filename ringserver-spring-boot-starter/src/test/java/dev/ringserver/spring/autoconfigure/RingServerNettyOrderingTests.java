package dev.ringserver.spring.autoconfigure;

import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ringserver wins when Boot's Reactor Netty module is on the class path too, as it is when
 * {@code spring-boot-starter-webflux} keeps its default server or another starter brings it.
 *
 * <p>Runs in its own Surefire execution, the only one whose class path has
 * {@code spring-boot-reactor-netty}; every other test sees the documented set-up (WebFlux with
 * Reactor Netty excluded).
 */
class RingServerNettyOrderingTests {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withBean(HttpHandler.class, () -> (request, response) -> Mono.empty());

    @Test
    void ringServerRegistersItsFactoryBeforeNetty() {
        // AutoConfigurations sorts the classes as Boot does, whatever order they are listed in.
        runner.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
                RingServerReactiveWebServerAutoConfiguration.class)).run(context -> {
                    assertThat(context).hasSingleBean(ReactiveWebServerFactory.class);
                    assertThat(context).hasSingleBean(RingServerReactiveWebServerFactory.class);
                    assertThat(context).doesNotHaveBean(NettyReactiveWebServerFactory.class);
                });
    }

    @Test
    void nettyStillWorksWhenRingServerIsNotThere() {
        runner.withClassLoader(new FilteredClassLoader("dev.ringserver.server"))
                .withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
                        RingServerReactiveWebServerAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(NettyReactiveWebServerFactory.class));
    }

    @Test
    void anApplicationWithBothServersStartsRingServerForTheApplicationAndTheActuator() {
        StartedServers started = new StartedServers();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxTestApplication.class)
                .properties("spring.main.banner-mode=off")
                .listeners(started)
                .run("--server.port=0", "--management.server.port=0")) {
            assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(RingWebServer.class);
            assertThat(context.getBeansOfType(NettyReactiveWebServerFactory.class)).isEmpty();
            assertThat(started.servers).hasSize(2)
                    .allSatisfy(server -> assertThat(server).isInstanceOf(RingWebServer.class));
        }
    }

    /** Collects the web servers started in the application's context and its management child. */
    static final class StartedServers implements ApplicationListener<WebServerInitializedEvent> {

        final List<WebServer> servers = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            servers.add(event.getWebServer());
        }
    }
}

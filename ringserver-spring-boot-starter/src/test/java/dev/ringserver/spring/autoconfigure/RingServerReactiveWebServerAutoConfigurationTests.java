package dev.ringserver.spring.autoconfigure;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.IoConfig;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import dev.ringserver.spring.server.RingServerCustomizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerFactoryCustomizer;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive auto-configuration's conditions and the properties it applies, in a context that does
 * not start a server.
 */
class RingServerReactiveWebServerAutoConfigurationTests {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingServerReactiveWebServerAutoConfiguration.class))
            .withBean(HttpHandler.class, () -> (request, response) -> Mono.empty());

    @Test
    void createsTheFactoryWithBootsGenericCustomizer() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RingServerReactiveWebServerFactory.class);
            assertThat(context).hasSingleBean(ReactiveWebServerFactoryCustomizer.class);
            assertThat(context).hasSingleBean(RingServerWebServerFactoryCustomizer.class);
            RingServerReactiveWebServerFactory factory = context.getBean(RingServerReactiveWebServerFactory.class);
            assertThat(factory.getBackend()).isEqualTo("auto");
            assertThat(factory.getEventLoops()).isZero();
            assertThat(factory.getHttpConfig()).isEqualTo(HttpConfig.DEFAULT);
            assertThat(factory.getIoConfig()).isEqualTo(IoConfig.DEFAULT);
            assertThat(factory.getStopTimeout()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesAReactiveWebServerFactory() {
        runner.withUserConfiguration(OwnFactory.class).run(context -> {
            assertThat(context).hasSingleBean(ReactiveWebServerFactory.class);
            assertThat(context).doesNotHaveBean(RingServerReactiveWebServerFactory.class);
            assertThat(context).getBean(ReactiveWebServerFactory.class).isSameAs(OwnFactory.FACTORY);
        });
    }

    @Test
    void backsOffWithoutWebFlux() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.http.ReactiveHttpInputMessage"))
                .run(context -> assertThat(context).doesNotHaveBean(RingServerReactiveWebServerFactory.class));
    }

    @Test
    void doesNothingOutsideAReactiveWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RingServerReactiveWebServerAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(RingServerReactiveWebServerFactory.class));
    }

    @Test
    void appliesRingServerProperties() {
        runner.withPropertyValues("ringserver.backend=NIO", "ringserver.event-loops=3",
                "ringserver.http.max-header-count=50", "ringserver.http.max-body-size=2MB",
                "ringserver.http.idle-timeout=5s", "ringserver.http.allow-bare-lf=true",
                "ringserver.io-uring.submission-queue-entries=64", "ringserver.io-uring.completion-queue-entries=1024",
                "ringserver.io-uring.recv-buffer-size=4KB", "ringserver.io-uring.recv-buffer-count=128",
                "ringserver.io-uring.disabled-features=buffer_ring,ext_arg").run(context -> {
                    RingServerReactiveWebServerFactory factory = context.getBean(RingServerReactiveWebServerFactory.class);
                    assertThat(factory.getBackend()).isEqualTo("nio");
                    assertThat(factory.getEventLoops()).isEqualTo(3);
                    HttpConfig http = factory.getHttpConfig();
                    assertThat(http.maxHeaderCount()).isEqualTo(50);
                    assertThat(http.maxBodyBytes()).isEqualTo(2L << 20);
                    assertThat(http.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(http.allowBareLf()).isTrue();
                    IoConfig io = factory.getIoConfig();
                    assertThat(io.submissionQueueEntries()).isEqualTo(64);
                    assertThat(io.completionQueueEntries()).isEqualTo(1024);
                    assertThat(io.recvBufferSize()).isEqualTo(4096);
                    assertThat(io.recvBufferCount()).isEqualTo(128);
                    assertThat(io.disabledFeatures()).isEqualTo(Set.of("buffer_ring", "ext_arg"));
                });
    }

    @Test
    void serverMaxHttpRequestHeaderSizeSetsTheLineAndHeaderLimits() {
        runner.withPropertyValues("server.max-http-request-header-size=16KB").run(context -> {
            HttpConfig http = context.getBean(RingServerReactiveWebServerFactory.class).getHttpConfig();
            assertThat(http.maxRequestLineBytes()).isEqualTo(16 * 1024);
            assertThat(http.maxHeaderBytes()).isEqualTo(16 * 1024);
        });
    }

    @Test
    void ringServerHeaderLimitsWinOverTheServerProperty() {
        runner.withPropertyValues("server.max-http-request-header-size=16KB",
                "ringserver.http.max-request-line-size=2KB").run(context -> {
                    HttpConfig http = context.getBean(RingServerReactiveWebServerFactory.class).getHttpConfig();
                    assertThat(http.maxRequestLineBytes()).isEqualTo(2 * 1024);
                    assertThat(http.maxHeaderBytes()).isEqualTo(16 * 1024);
                });
    }

    @Test
    void aHeaderSizeTheEngineCannotTakeFailsWithTheServerPropertyNamed() {
        runner.withPropertyValues("server.max-http-request-header-size=768KB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("1 MiB");
            assertThat(context.getStartupFailure()).hasStackTraceContaining(
                    "server.max-http-request-header-size=786432B cannot be applied to ringserver");
        });
    }

    @Test
    void lifecycleTimeoutBecomesTheStopTimeout() {
        runner.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class))
                .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=12s")
                .run(context -> assertThat(context.getBean(RingServerReactiveWebServerFactory.class).getStopTimeout())
                        .isEqualTo(Duration.ofSeconds(12)));
    }

    @Test
    void serverHeaderIsApplied() {
        runner.withPropertyValues("server.server-header=ring").run(context -> assertThat(
                context.getBean(RingServerReactiveWebServerFactory.class).getServerHeader()).isEqualTo("ring"));
    }

    @Test
    void serverPropertiesReachTheFactoryThroughBootsCustomizer() {
        runner.withPropertyValues("server.port=0", "server.shutdown=immediate").run(context -> {
            RingServerReactiveWebServerFactory factory = context.getBean(RingServerReactiveWebServerFactory.class);
            assertThat(factory.getPort()).isZero();
            assertThat(factory.getShutdown()).isEqualTo(org.springframework.boot.web.server.Shutdown.IMMEDIATE);
        });
    }

    @Test
    void ringServerCustomizerBeansReachTheFactoryInOrder() {
        RingServerCustomizer first = builder -> builder.backlog(10);
        runner.withBean("first", RingServerCustomizer.class, () -> first).run(context -> assertThat(
                context.getBean(RingServerReactiveWebServerFactory.class).getServerCustomizers())
                .startsWith(first));
    }

    @Test
    void applicationCustomizersRunAfterThePropertiesAndWin() {
        runner.withPropertyValues("ringserver.event-loops=3").withUserConfiguration(LateCustomizer.class)
                .run(context -> assertThat(context.getBean(RingServerReactiveWebServerFactory.class).getEventLoops())
                        .isEqualTo(1));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFactory {

        static final ReactiveWebServerFactory FACTORY = handler -> new WebServer() {
            @Override
            public void start() {
            }

            @Override
            public void stop() {
            }

            @Override
            public int getPort() {
                return -1;
            }
        };

        @Bean
        ReactiveWebServerFactory ownFactory() {
            return FACTORY;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LateCustomizer {

        @Bean
        WebServerFactoryCustomizer<RingServerReactiveWebServerFactory> oneLoop() {
            return factory -> factory.setEventLoops(1);
        }
    }
}

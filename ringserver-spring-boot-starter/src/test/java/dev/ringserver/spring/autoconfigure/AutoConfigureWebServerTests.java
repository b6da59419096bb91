package dev.ringserver.spring.autoconfigure;

import dev.ringserver.spring.server.RingWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.test.AutoConfigureWebServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test that names its configuration and asks for a web server with {@code @AutoConfigureWebServer}
 * (no {@code @EnableAutoConfiguration}) gets ringserver: the starter lists its auto-configuration in
 * the imports file that annotation reads.
 */
@SpringBootTest(classes = AutoConfigureWebServerTests.Handler.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebServer
class AutoConfigureWebServerTests {

    @Autowired
    private WebServerApplicationContext context;

    @Test
    void startsRingServer() {
        assertThat(context.getWebServer()).isInstanceOf(RingWebServer.class);
        assertThat(context.getWebServer().getPort()).isPositive();
    }

    @Configuration(proxyBeanMethods = false)
    static class Handler {

        @Bean
        HttpHandler httpHandler() {
            return (request, response) -> response.setComplete();
        }
    }
}

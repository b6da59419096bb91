package dev.ringserver.spring.autoconfigure;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A WebFlux application for the tests that start a real server: full auto-configuration (so whatever
 * is on the test class path is configured, as in a user's application) and one route,
 * {@code GET /hello}. No component scanning, so the tests' own configurations stay out.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class WebFluxTestApplication {

    @Bean
    RouterFunction<ServerResponse> hello() {
        return RouterFunctions.route().GET("/hello", request -> ServerResponse.ok().bodyValue("Hello")).build();
    }
}

package dev.ringserver.sample.bench;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.http.MediaType.APPLICATION_JSON;
import static org.springframework.http.MediaType.TEXT_PLAIN;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;
import static org.springframework.web.reactive.function.server.ServerResponse.ok;

/**
 * TechEmpower's plaintext and JSON tests as functional routes, added to the sample app for the
 * benchmarks (its component scan finds this package). Nothing blocks; the JSON body is a new record
 * serialised by the configured Jackson encoder on every request.
 */
@Configuration(proxyBeanMethods = false)
public class BenchRoutes {

    static final String HELLO = "Hello, World!";

    /** The JSON test's body: {@code {"message":"Hello, World!"}}. */
    public record Message(String message) {
    }

    @Bean
    RouterFunction<ServerResponse> plaintextAndJson() {
        return route()
                .GET("/plaintext", request -> ok().contentType(TEXT_PLAIN).bodyValue(HELLO))
                .GET("/json", request -> ok().contentType(APPLICATION_JSON).bodyValue(new Message(HELLO)))
                .build();
    }
}

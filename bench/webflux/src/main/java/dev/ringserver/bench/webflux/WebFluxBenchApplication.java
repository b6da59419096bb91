package dev.ringserver.bench.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.http.MediaType.APPLICATION_JSON;
import static org.springframework.http.MediaType.TEXT_PLAIN;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;
import static org.springframework.web.reactive.function.server.ServerResponse.ok;

/**
 * The application bench/webflux.sh measures, on ringserver and on Reactor Netty (the same sources,
 * built by two Maven profiles): TechEmpower's plaintext and JSON tests as functional routes. Nothing
 * blocks; the JSON body is a new object serialised by the configured Jackson encoder on every request.
 */
@SpringBootApplication
public class WebFluxBenchApplication {

    static final String HELLO = "Hello, World!";

    /** The JSON test's body: {@code {"message":"Hello, World!"}}. */
    public record Message(String message) {
    }

    @Bean
    RouterFunction<ServerResponse> routes() {
        return route()
                .GET("/plaintext", request -> ok().contentType(TEXT_PLAIN).bodyValue(HELLO))
                .GET("/json", request -> ok().contentType(APPLICATION_JSON).bodyValue(new Message(HELLO)))
                .build();
    }

    /** One line on standard output once the server listens: the benchmark script waits for it. */
    @EventListener
    void ready(ApplicationReadyEvent event) {
        String server = "unknown";
        int port = -1;
        if (event.getApplicationContext() instanceof WebServerApplicationContext context) {
            WebServer webServer = context.getWebServer();
            server = webServer.getClass().getSimpleName();
            port = webServer.getPort();
        }
        System.out.println("webflux-bench ready: server=" + server + " port=" + port + " processors="
                + Runtime.getRuntime().availableProcessors() + " java=" + Runtime.version());
    }

    public static void main(String[] args) {
        SpringApplication.run(WebFluxBenchApplication.class, args);
    }
}

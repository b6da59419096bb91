package dev.ringserver.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain WebFlux application. Nothing in it names ringserver: the starter on the class path (and
 * Reactor Netty left out of it) makes ringserver the web server.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}

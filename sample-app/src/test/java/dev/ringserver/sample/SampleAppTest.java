package dev.ringserver.sample;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The sample application on ringserver on a random port, with a {@code WebTestClient} bound to it over
 * real sockets. Every test class uses the same settings, so they share one application. Ticks come
 * every 200 ms instead of every second to keep the tests short.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sample.events.interval=200ms")
@AutoConfigureWebTestClient(timeout = "30s")
@interface SampleAppTest {
}

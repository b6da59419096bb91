package dev.ringserver.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS and HTTP/2 are not there yet: asking for them stops start-up with a message that says so. */
class UnsupportedServerFeaturesTests {

    @Test
    void sslEnabledFailsStartUp() {
        assertThatThrownBy(() -> start("--server.ssl.enabled=true"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ringserver does not support TLS yet, but server.ssl.enabled is true");
    }

    @Test
    void http2EnabledFailsStartUp() {
        assertThatThrownBy(() -> start("--server.http2.enabled=true"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ringserver does not support HTTP/2 yet, but server.http2.enabled is true");
    }

    private static void start(String... args) {
        new SpringApplicationBuilder(WebFluxTestApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off")
                .run(args)
                .close();
    }
}

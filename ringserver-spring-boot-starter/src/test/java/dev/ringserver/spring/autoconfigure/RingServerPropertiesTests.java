package dev.ringserver.spring.autoconfigure;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.io.IoConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding, validation and the generated configuration metadata of {@link RingServerProperties}. */
class RingServerPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Enable.class);

    @Test
    void defaultsAreTheEnginesDefaults() {
        RingServerProperties properties = new RingServerProperties();
        assertThat(properties.getHttp().toHttpConfig(HttpConfig.DEFAULT.maxHeaderBytes())).isEqualTo(HttpConfig.DEFAULT);
        assertThat(properties.getIoUring().toIoConfig()).isEqualTo(IoConfig.DEFAULT);
        assertThat(properties.getBackend()).isEqualTo("auto");
        assertThat(properties.getEventLoops()).isZero();
        assertThat(properties.getMaxConnectionsPerLoop()).isEqualTo(16384);
    }

    @Test
    void bindsRelaxedNamesAndUnits() {
        runner.withPropertyValues("ringserver.http.max-body-size=10MB", "ringserver.http.header-timeout=1500ms",
                "ringserver.http.max-requests-per-connection=7", "ringserver.io-uring.recv-buffer-size=8KB",
                "ringserver.max-connections-per-loop=100").run(context -> {
                    RingServerProperties properties = context.getBean(RingServerProperties.class);
                    HttpConfig http = properties.getHttp().toHttpConfig(8192);
                    assertThat(http.maxBodyBytes()).isEqualTo(10L << 20);
                    assertThat(http.headerTimeout().toMillis()).isEqualTo(1500);
                    assertThat(http.maxRequestsPerConnection()).isEqualTo(7);
                    assertThat(properties.getIoUring().toIoConfig().recvBufferSize()).isEqualTo(8192);
                    assertThat(properties.getMaxConnectionsPerLoop()).isEqualTo(100);
                });
    }

    @Test
    void aQueueSizeThatIsNotAPowerOfTwoFailsAtBindTimeNamingTheProperty() {
        assertBindFailure("ringserver.io-uring.submission-queue-entries=100",
                "submissionQueueEntries", "must be a power of two from 8 to 32768");
    }

    @Test
    void aCompletionQueueSmallerThanTheSubmissionQueueFails() {
        runner.withPropertyValues("ringserver.io-uring.submission-queue-entries=1024",
                "ringserver.io-uring.completion-queue-entries=512").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining(
                            "must be at least submission-queue-entries (1024)");
                });
    }

    @Test
    void aZeroTimeoutFails() {
        assertBindFailure("ringserver.http.idle-timeout=0s", "idleTimeout",
                "must be a positive duration");
    }

    @Test
    void aZeroSizeFails() {
        assertBindFailure("ringserver.http.max-header-size=0B", "maxHeaderSize",
                "must be from 1B to 2147483647B");
    }

    @Test
    void aNegativeEventLoopCountFails() {
        assertBindFailure("ringserver.event-loops=-1", "eventLoops", "must be 0 (one loop per processor)");
    }

    @Test
    void anUnknownIoUringFeatureFailsListingTheKnownOnes() {
        assertBindFailure("ringserver.io-uring.disabled-features=buffer_ring,turbo",
                "disabledFeatures", "'turbo' is not an io_uring feature that can be turned off");
    }

    @Test
    void limitsTheEngineRefusesTogetherFailAtBindTime() {
        runner.withPropertyValues("ringserver.http.max-request-line-size=600KB", "ringserver.http.max-header-size=600KB")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining(
                            "ringserver settings are inconsistent: request line plus header section must stay below 1 MiB");
                });
    }

    @Test
    void aValueThatIsNotASizeFailsInBootsConversion() {
        runner.withPropertyValues("ringserver.http.max-body-size=lots").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("ringserver.http.max-body-size");
        });
    }

    @Test
    void metadataDescribesEveryPropertyWithItsDefault() throws Exception {
        JsonNode metadata = readMetadata("META-INF/spring-configuration-metadata.json");
        Map<String, JsonNode> properties = new HashMap<>();
        for (JsonNode property : metadata.get("properties")) {
            properties.put(property.get("name").asString(), property);
        }
        assertThat(properties).containsKeys("ringserver.backend", "ringserver.event-loops",
                "ringserver.max-connections-per-loop", "ringserver.http.max-request-line-size",
                "ringserver.http.max-header-size", "ringserver.http.max-header-count", "ringserver.http.max-body-size",
                "ringserver.http.max-chunk-line-size", "ringserver.http.max-trailer-size",
                "ringserver.http.max-drain-size", "ringserver.http.response-buffer-size",
                "ringserver.http.max-requests-per-connection", "ringserver.http.header-timeout",
                "ringserver.http.idle-timeout", "ringserver.http.body-timeout", "ringserver.http.write-timeout",
                "ringserver.http.linger-timeout", "ringserver.http.allow-bare-lf",
                "ringserver.http.allow-duplicate-content-length", "ringserver.http.allow-unsafe-target-bytes",
                "ringserver.io-uring.submission-queue-entries", "ringserver.io-uring.completion-queue-entries",
                "ringserver.io-uring.recv-buffer-size", "ringserver.io-uring.recv-buffer-count",
                "ringserver.io-uring.disabled-features");
        assertThat(properties.values()).allSatisfy(property ->
                assertThat(property.path("description").asString()).as(property.get("name").asString()).isNotBlank());
        assertThat(properties.get("ringserver.http.max-body-size").get("defaultValue").asString()).isEqualTo("100MB");
        assertThat(properties.get("ringserver.http.header-timeout").get("defaultValue").asString()).isEqualTo("20s");
        assertThat(properties.get("ringserver.backend").get("defaultValue").asString()).isEqualTo("auto");
        assertThat(properties.get("ringserver.io-uring.completion-queue-entries").get("defaultValue").asInt())
                .isEqualTo(8192);

        JsonNode backendHint = null;
        for (JsonNode hint : metadata.get("hints")) {
            if (hint.get("name").asString().equals("ringserver.backend")) {
                backendHint = hint;
            }
        }
        assertThat(backendHint).isNotNull();
        assertThat(backendHint.get("values").findValuesAsString("value"))
                .containsExactly("auto", "io_uring", "epoll", "kqueue", "nio");
    }

    private void assertBindFailure(String property, String name, String reason) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(BindValidationException.class);
            assertThat(context.getStartupFailure()).hasStackTraceContaining(name).hasStackTraceContaining(reason);
        });
    }

    private static JsonNode readMetadata(String path) throws Exception {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RingServerProperties.class)
    static class Enable {
    }
}

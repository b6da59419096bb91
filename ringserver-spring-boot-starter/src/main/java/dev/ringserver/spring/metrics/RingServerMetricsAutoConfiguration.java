package dev.ringserver.spring.metrics;

import dev.ringserver.server.RingServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Registers ringserver's server-level meters ({@link RingServerMetrics}) when the application has a
 * Micrometer {@link MeterRegistry}. Ordered after Boot's composite registry auto-configuration (named
 * as a string: the metrics module is optional) so that the registry bean is known when the condition
 * is evaluated.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnWebApplication
@ConditionalOnClass({MeterRegistry.class, RingServer.class})
@ConditionalOnBean(MeterRegistry.class)
public final class RingServerMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RingServerMetricsBinder ringServerMetricsBinder(MeterRegistry registry) {
        return new RingServerMetricsBinder(registry);
    }
}

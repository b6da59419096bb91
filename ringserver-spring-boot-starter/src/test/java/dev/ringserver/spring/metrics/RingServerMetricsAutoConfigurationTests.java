package dev.ringserver.spring.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** When the metrics binder is configured. */
class RingServerMetricsAutoConfigurationTests {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingServerMetricsAutoConfiguration.class));

    @Test
    void bindsWhenThereIsAMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasSingleBean(RingServerMetricsBinder.class));
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context).doesNotHaveBean(RingServerMetricsBinder.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean(RingServerMetricsBinder.class));
    }

    @Test
    void backsOffForTheApplicationsOwnBinder() {
        RingServerMetricsBinder own = new RingServerMetricsBinder(new SimpleMeterRegistry());
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(RingServerMetricsBinder.class, () -> own)
                .run(context -> assertThat(context).getBean(RingServerMetricsBinder.class).isSameAs(own));
    }
}

package dev.ringserver.spring.actuate;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint exists only when it is exposed, as Boot's own endpoints. */
class RingServerEndpointAutoConfigurationTests {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingServerEndpointAutoConfiguration.class));

    @Test
    void notExposedByDefault() {
        runner.run(context -> assertThat(context).doesNotHaveBean(RingServerEndpoint.class));
    }

    @Test
    void presentWhenExposedOverHttp() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=ringserver")
                .run(context -> assertThat(context).hasSingleBean(RingServerEndpoint.class));
    }

    @Test
    void absentWhenTurnedOff() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=ringserver",
                "management.endpoint.ringserver.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(RingServerEndpoint.class));
    }
}

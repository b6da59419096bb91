package dev.ringserver.spring.reactive;

import org.springframework.test.context.TestPropertySource;

/** {@link WebFluxApplicationConformance} with {@code ringserver.backend=nio}. */
@RequiresBackend("nio")
@TestPropertySource(properties = "ringserver.backend=nio")
class NioWebFluxApplicationIT extends WebFluxApplicationConformance {

    @Override
    protected String backend() {
        return "nio";
    }
}

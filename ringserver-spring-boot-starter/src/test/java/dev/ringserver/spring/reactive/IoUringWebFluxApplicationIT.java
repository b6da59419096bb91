package dev.ringserver.spring.reactive;

import org.springframework.test.context.TestPropertySource;

/** {@link WebFluxApplicationConformance} with {@code ringserver.backend=io_uring}. */
@RequiresBackend("io_uring")
@TestPropertySource(properties = "ringserver.backend=io_uring")
class IoUringWebFluxApplicationIT extends WebFluxApplicationConformance {

    @Override
    protected String backend() {
        return "io_uring";
    }
}

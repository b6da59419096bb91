package dev.ringserver.spring.reactive;

import org.springframework.test.context.TestPropertySource;

/** {@link WebFluxApplicationConformance} with {@code ringserver.backend=kqueue}. */
@RequiresBackend("kqueue")
@TestPropertySource(properties = "ringserver.backend=kqueue")
class KqueueWebFluxApplicationIT extends WebFluxApplicationConformance {

    @Override
    protected String backend() {
        return "kqueue";
    }
}

package dev.ringserver.spring.reactive;

import org.springframework.test.context.TestPropertySource;

/** {@link WebFluxApplicationConformance} with {@code ringserver.backend=epoll}. */
@RequiresBackend("epoll")
@TestPropertySource(properties = "ringserver.backend=epoll")
class EpollWebFluxApplicationIT extends WebFluxApplicationConformance {

    @Override
    protected String backend() {
        return "epoll";
    }
}

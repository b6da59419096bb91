package dev.ringserver.spring.reactive;

/** {@link WebFluxLifecycleConformance} with {@code ringserver.backend=epoll}. */
@RequiresBackend("epoll")
class EpollWebFluxLifecycleIT extends WebFluxLifecycleConformance {

    @Override
    protected String backend() {
        return "epoll";
    }
}

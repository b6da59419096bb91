package dev.ringserver.spring.reactive;

/** The {@link WebFluxAdapterConformance} suite on the epoll backend. */
class EpollWebFluxIT extends WebFluxAdapterConformance {

    @Override
    protected String backend() {
        return "epoll";
    }
}

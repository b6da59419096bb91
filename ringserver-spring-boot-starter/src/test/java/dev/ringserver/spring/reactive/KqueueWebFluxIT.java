package dev.ringserver.spring.reactive;

/** The {@link WebFluxAdapterConformance} suite on the kqueue backend. */
class KqueueWebFluxIT extends WebFluxAdapterConformance {

    @Override
    protected String backend() {
        return "kqueue";
    }
}

package dev.ringserver.spring.reactive;

/** The {@link WebFluxAdapterConformance} suite on the nio backend. */
class NioWebFluxIT extends WebFluxAdapterConformance {

    @Override
    protected String backend() {
        return "nio";
    }
}

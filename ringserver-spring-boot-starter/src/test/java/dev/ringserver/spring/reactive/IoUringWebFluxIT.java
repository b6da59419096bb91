package dev.ringserver.spring.reactive;

/** The {@link WebFluxAdapterConformance} suite on the io_uring backend. */
class IoUringWebFluxIT extends WebFluxAdapterConformance {

    @Override
    protected String backend() {
        return "io_uring";
    }
}

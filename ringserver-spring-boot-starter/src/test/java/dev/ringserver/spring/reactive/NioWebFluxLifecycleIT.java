package dev.ringserver.spring.reactive;

/** {@link WebFluxLifecycleConformance} with {@code ringserver.backend=nio}. */
@RequiresBackend("nio")
class NioWebFluxLifecycleIT extends WebFluxLifecycleConformance {

    @Override
    protected String backend() {
        return "nio";
    }
}

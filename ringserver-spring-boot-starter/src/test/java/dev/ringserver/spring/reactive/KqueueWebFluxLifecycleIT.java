package dev.ringserver.spring.reactive;

/** {@link WebFluxLifecycleConformance} with {@code ringserver.backend=kqueue}. */
@RequiresBackend("kqueue")
class KqueueWebFluxLifecycleIT extends WebFluxLifecycleConformance {

    @Override
    protected String backend() {
        return "kqueue";
    }
}

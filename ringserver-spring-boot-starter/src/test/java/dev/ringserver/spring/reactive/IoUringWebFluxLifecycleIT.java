package dev.ringserver.spring.reactive;

/** {@link WebFluxLifecycleConformance} with {@code ringserver.backend=io_uring}. */
@RequiresBackend("io_uring")
class IoUringWebFluxLifecycleIT extends WebFluxLifecycleConformance {

    @Override
    protected String backend() {
        return "io_uring";
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpLimitsConformance} suite on {@link BackendUnderTest#epoll()}. */
class EpollHttpLimitsIT extends HttpLimitsConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.epoll();
    }
}

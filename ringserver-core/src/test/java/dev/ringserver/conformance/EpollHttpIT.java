package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpConformance} suite on {@link BackendUnderTest#epoll()}. */
class EpollHttpIT extends HttpConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.epoll();
    }
}

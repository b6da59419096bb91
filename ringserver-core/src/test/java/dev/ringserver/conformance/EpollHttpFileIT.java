package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpFileConformance} suite on {@link BackendUnderTest#epoll()}. */
class EpollHttpFileIT extends HttpFileConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.epoll();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The server conformance suite on {@link BackendUnderTest#epoll()}. */
class EpollServerIT extends ServerConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.epoll();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link StaticFilesConformance} suite on {@link BackendUnderTest#epoll()}. */
class EpollStaticFilesIT extends StaticFilesConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.epoll();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpFileConformance} suite on {@link BackendUnderTest#nio()}. */
class NioHttpFileIT extends HttpFileConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.nio();
    }
}

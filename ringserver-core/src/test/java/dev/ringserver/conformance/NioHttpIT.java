package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpConformance} suite on {@link BackendUnderTest#nio()}. */
class NioHttpIT extends HttpConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.nio();
    }
}

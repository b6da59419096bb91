package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The server conformance suite on {@link BackendUnderTest#nio()}. */
class NioServerIT extends ServerConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.nio();
    }
}

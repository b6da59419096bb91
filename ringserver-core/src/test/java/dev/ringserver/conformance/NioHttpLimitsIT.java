package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpLimitsConformance} suite on {@link BackendUnderTest#nio()}. */
class NioHttpLimitsIT extends HttpLimitsConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.nio();
    }
}

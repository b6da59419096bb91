package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpLimitsConformance} suite on {@link BackendUnderTest#ioUring()}. */
class IoUringHttpLimitsIT extends HttpLimitsConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUring();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpLimitsConformance} suite on {@link BackendUnderTest#ioUringMinimal()}. */
class IoUringMinimalHttpLimitsIT extends HttpLimitsConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringMinimal();
    }
}

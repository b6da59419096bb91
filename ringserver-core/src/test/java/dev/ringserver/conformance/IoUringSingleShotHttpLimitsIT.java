package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpLimitsConformance} suite on {@link BackendUnderTest#ioUringSingleShot()}. */
class IoUringSingleShotHttpLimitsIT extends HttpLimitsConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringSingleShot();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpConformance} suite on {@link BackendUnderTest#ioUringMinimal()}. */
class IoUringMinimalHttpIT extends HttpConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringMinimal();
    }
}

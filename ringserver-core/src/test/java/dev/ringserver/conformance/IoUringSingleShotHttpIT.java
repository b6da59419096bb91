package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpConformance} suite on {@link BackendUnderTest#ioUringSingleShot()}. */
class IoUringSingleShotHttpIT extends HttpConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringSingleShot();
    }
}

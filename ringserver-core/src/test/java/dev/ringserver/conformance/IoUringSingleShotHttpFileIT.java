package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpFileConformance} suite on {@link BackendUnderTest#ioUringSingleShot()}. */
class IoUringSingleShotHttpFileIT extends HttpFileConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringSingleShot();
    }
}

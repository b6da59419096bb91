package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The server conformance suite on {@link BackendUnderTest#ioUringSingleShot()}. */
class IoUringSingleShotServerIT extends ServerConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringSingleShot();
    }
}

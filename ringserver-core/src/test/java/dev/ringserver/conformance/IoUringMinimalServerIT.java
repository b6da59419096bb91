package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The server conformance suite on {@link BackendUnderTest#ioUringMinimal()}. */
class IoUringMinimalServerIT extends ServerConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringMinimal();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpFileConformance} suite on {@link BackendUnderTest#ioUringMinimal()}. */
class IoUringMinimalHttpFileIT extends HttpFileConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringMinimal();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpFileConformance} suite on {@link BackendUnderTest#ioUring()}. */
class IoUringHttpFileIT extends HttpFileConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUring();
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link HttpConformance} suite on {@link BackendUnderTest#ioUring()}. */
class IoUringHttpIT extends HttpConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUring();
    }
}

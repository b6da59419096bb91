package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The server conformance suite on {@link BackendUnderTest#ioUring()}. */
class IoUringServerIT extends ServerConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUring();
    }
}

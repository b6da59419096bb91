package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The HTTP file tests on {@link BackendUnderTest#ioUringSplice()}. */
class IoUringSpliceHttpFileIT extends HttpFileConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringSplice();
    }
}

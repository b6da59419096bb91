package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link StaticFilesConformance} suite on {@link BackendUnderTest#ioUring()}. */
class IoUringStaticFilesIT extends StaticFilesConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUring();
    }
}

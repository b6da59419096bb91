package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link StaticFilesConformance} suite on {@link BackendUnderTest#nio()}. */
class NioStaticFilesIT extends StaticFilesConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.nio();
    }
}

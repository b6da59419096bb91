package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link StaticFilesConformance} suite on {@link BackendUnderTest#kqueue()}. */
class KqueueStaticFilesIT extends StaticFilesConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.kqueue();
    }
}

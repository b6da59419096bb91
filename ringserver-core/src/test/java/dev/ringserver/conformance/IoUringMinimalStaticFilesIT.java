package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The {@link StaticFilesConformance} suite on {@link BackendUnderTest#ioUringMinimal()}. */
class IoUringMinimalStaticFilesIT extends StaticFilesConformance {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringMinimal();
    }

    /** The same sendfile path as {@link IoUringStaticFilesIT}, which runs the 4 GiB download. */
    @Override
    protected boolean runsHugeFiles() {
        return false;
    }
}

package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The backend contract on {@link BackendUnderTest#ioUringMinimal()}. */
class IoUringMinimalContractIT extends BackendContract {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringMinimal();
    }
}

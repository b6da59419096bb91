package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The backend contract on {@link BackendUnderTest#ioUring()}. */
class IoUringContractIT extends BackendContract {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUring();
    }
}

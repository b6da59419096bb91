package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The backend contract on {@link BackendUnderTest#ioUringSingleShot()}. */
class IoUringSingleShotContractIT extends BackendContract {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.ioUringSingleShot();
    }
}

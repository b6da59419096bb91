package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The backend contract on {@link BackendUnderTest#nio()}. */
class NioContractIT extends BackendContract {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.nio();
    }
}

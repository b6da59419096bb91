package dev.ringserver.conformance;

import dev.ringserver.testing.BackendUnderTest;

/** The backend contract on {@link BackendUnderTest#epoll()}. */
class EpollContractIT extends BackendContract {

    @Override
    protected BackendUnderTest backendUnderTest() {
        return BackendUnderTest.epoll();
    }
}

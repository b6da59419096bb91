package dev.ringserver.io;

import dev.ringserver.io.epoll.EpollProvider;
import dev.ringserver.io.kqueue.KqueueProvider;
import dev.ringserver.io.nio.NioProvider;
import dev.ringserver.io.uring.IoUringProvider;
import dev.ringserver.sys.Platform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendsTest {

    @Test
    void listsBackendsBestFirst() {
        assertThat(Backends.all()).extracting(IoBackendProvider::name)
                .containsExactly("io_uring", "epoll", "kqueue", "nio");
    }

    @Test
    void findsBackendsByName() {
        assertThat(Backends.byName("io_uring")).isSameAs(IoUringProvider.INSTANCE);
        assertThat(Backends.byName("epoll")).isSameAs(EpollProvider.INSTANCE);
        assertThat(Backends.byName("kqueue")).isSameAs(KqueueProvider.INSTANCE);
        assertThat(Backends.byName("nio")).isSameAs(NioProvider.INSTANCE);
    }

    @Test
    void autoTriesTheNativeBackendsOfEachOsThenNio() {
        assertThat(Backends.autoCandidates(Platform.Os.LINUX)).extracting(IoBackendProvider::name)
                .containsExactly("io_uring", "epoll", "nio");
        assertThat(Backends.autoCandidates(Platform.Os.MAC)).extracting(IoBackendProvider::name)
                .containsExactly("kqueue", "nio");
        assertThat(Backends.autoCandidates(Platform.Os.OTHER)).extracting(IoBackendProvider::name)
                .containsExactly("nio");
        assertThat(Backends.autoCandidates()).isEqualTo(Backends.autoCandidates(Platform.os()));
    }

    @Test
    void autoNeverChoosesKqueueOnLinux() {
        if (Platform.os() == Platform.Os.LINUX) {
            assertThat(Backends.select("auto").provider()).isNotSameAs(KqueueProvider.INSTANCE);
            assertThat(Backends.select("auto").explanation()).doesNotContain("kqueue");
        } else if (Platform.isMacSupported() && KqueueProvider.INSTANCE.availability().available()) {
            assertThat(Backends.select("auto").provider()).isSameAs(KqueueProvider.INSTANCE);
            assertThat(Backends.select("auto").explanation()).isEqualTo("auto chose kqueue, the preferred backend");
        }
    }

    @Test
    void acceptsIoUringAliases() {
        assertThat(Backends.byName("io-uring")).isSameAs(IoUringProvider.INSTANCE);
        assertThat(Backends.byName("IOURING")).isSameAs(IoUringProvider.INSTANCE);
        assertThat(Backends.byName("iouring")).isSameAs(IoUringProvider.INSTANCE);
        assertThat(Backends.byName("IO_URING")).isSameAs(IoUringProvider.INSTANCE);
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(Backends.byName("EPOLL")).isSameAs(EpollProvider.INSTANCE);
        assertThat(Backends.byName("Nio")).isSameAs(NioProvider.INSTANCE);
    }

    @Test
    void unknownNameListsKnownBackends() {
        assertThatThrownBy(() -> Backends.byName("select"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown backend 'select': expected auto, io_uring, epoll, kqueue, nio");
    }

    @Test
    void selectsNioByName() {
        Backends.Selection selection = Backends.select("nio");

        assertThat(selection.provider()).isSameAs(NioProvider.INSTANCE);
        assertThat(selection.explanation()).isEqualTo("nio requested explicitly");
    }

    @Test
    void selectOfUnknownNameFails() {
        assertThatThrownBy(() -> Backends.select("select"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown backend 'select'");
    }

    @Test
    void explicitSelectionFollowsAvailability() {
        for (IoBackendProvider provider : Backends.all()) {
            Availability availability = provider.availability();
            if (availability.available()) {
                assertThat(Backends.select(provider.name()).provider()).isSameAs(provider);
            } else {
                assertThatThrownBy(() -> Backends.select(provider.name()))
                        .isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
                            assertThat(e.backend()).isEqualTo(provider.name());
                            assertThat(e.reason()).isEqualTo(availability.reason());
                        });
            }
        }
    }

    @Test
    void autoChoosesFirstAvailableBackendAndSaysSo() {
        IoBackendProvider expected = Backends.autoCandidates().stream()
                .filter(p -> p.availability().available()).findFirst().orElseThrow();

        Backends.Selection selection = Backends.select("auto");

        assertThat(selection.provider()).isSameAs(expected);
        assertThat(selection.explanation()).startsWith("auto chose " + expected.name());
        if (expected == Backends.autoCandidates().getFirst()) {
            assertThat(selection.explanation()).endsWith(", the preferred backend");
        } else {
            assertThat(selection.explanation()).contains("skipped " + Backends.autoCandidates().getFirst().name() + " (");
        }
    }

    @Test
    void autoIsCaseInsensitive() {
        assertThat(Backends.select("AUTO").explanation()).startsWith("auto chose");
    }
}

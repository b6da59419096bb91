package dev.ringserver.io.uring;

import dev.ringserver.io.Counters;
import dev.ringserver.io.IoCounter;
import dev.ringserver.sys.Platform;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SplicePipesTest {

    private final Counters<IoCounter> counters = new Counters<>(IoCounter.class);
    private Leaks leaks;
    private Arena arena;
    private int fdsBefore;

    @BeforeEach
    void setUp() {
        assumeTrue(Platform.isLinuxSupported(), "pipes through the Linux bindings");
        leaks = Leaks.snapshot();
        arena = Arena.ofConfined();
        fdsBefore = Leaks.openFdCount();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (arena != null) {
            arena.close();
            leaks.assertNoLeaks();
        }
    }

    @Test
    void hasAtMostItsCapacityOfPipesAndReusesReleasedOnes() {
        SplicePipes pool = new SplicePipes(arena, 2, 1 << 20, 256 << 10, counters);
        SplicePipes.Pipe a = pool.acquire();
        SplicePipes.Pipe b = pool.acquire();
        assertThat(a).isNotNull();
        assertThat(b).isNotNull().isNotSameAs(a);
        assertThat(a.capacity).as("the size asked for (or the most the kernel allows)").isGreaterThanOrEqualTo(256 << 10);
        assertThat(pool.acquire()).as("all busy").isNull();
        assertThat(Leaks.openFdCount() - fdsBefore).isEqualTo(4);
        pool.release(a);
        int readFd = a.readFd;
        SplicePipes.Pipe again = pool.acquire();
        assertThat(again).isSameAs(a);
        assertThat(again.readFd).as("the same pipe, not a new one").isEqualTo(readFd);
        assertThat(pool.busy()).isEqualTo(2);
        pool.close(true);
        assertThat(pool.open()).isZero();
        assertThat(Leaks.openFdCount()).isEqualTo(fdsBefore);
    }

    @Test
    void aDiscardedPipeIsClosedAndReplacedByANewOne() {
        SplicePipes pool = new SplicePipes(arena, 1, 1 << 20, 256 << 10, counters);
        SplicePipes.Pipe pipe = pool.acquire();
        pool.discard(pipe);
        assertThat(pool.open()).isZero();
        assertThat(pool.busy()).isZero();
        assertThat(pipe.readFd).isEqualTo(-1);
        assertThat(Leaks.openFdCount()).isEqualTo(fdsBefore);
        SplicePipes.Pipe fresh = pool.acquire();
        assertThat(fresh).isNotNull();
        assertThat(fresh.isOpen()).isTrue();
        pool.close(true);
    }

    @Test
    void aPipeSmallerThanTheMinimumIsNotUsedAndThePoolStopsGrowing() {
        // 64 KiB granted, 128 KiB needed: as when the kernel refuses F_SETPIPE_SZ to an unprivileged user.
        SplicePipes pool = new SplicePipes(arena, 4, 64 << 10, 128 << 10, counters);
        assertThat(pool.acquire()).isNull();
        assertThat(pool.open()).isZero();
        assertThat(Leaks.openFdCount()).as("the small pipe was closed").isEqualTo(fdsBefore);
        long syscalls = counters.get(IoCounter.SYSCALLS);
        assertThat(pool.acquire()).isNull();
        assertThat(counters.get(IoCounter.SYSCALLS)).as("no further attempt").isEqualTo(syscalls);
    }

    @Test
    void closingIdlePipesLeavesBusyOnesOpen() {
        SplicePipes pool = new SplicePipes(arena, 2, 1 << 20, 256 << 10, counters);
        SplicePipes.Pipe busy = pool.acquire();
        SplicePipes.Pipe idle = pool.acquire();
        pool.release(idle);
        pool.close(false);
        assertThat(busy.isOpen()).isTrue();
        assertThat(idle.isOpen()).isFalse();
        assertThat(pool.open()).isEqualTo(1);
        pool.close(true);
        assertThat(busy.isOpen()).isFalse();
    }
}

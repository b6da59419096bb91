package dev.ringserver.io;

import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferSlabTest {

    private static final int COUNT = 8;
    private static final int SIZE = 1024;

    @Test
    void reportsCountSizeAndAllFree() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, COUNT, SIZE);

            assertThat(slab.count()).isEqualTo(COUNT);
            assertThat(slab.size()).isEqualTo(SIZE);
            assertThat(slab.available()).isEqualTo(COUNT);
            assertThat(slab.memory().byteSize()).isGreaterThanOrEqualTo((long) COUNT * SIZE);
        }
    }

    @Test
    void slabMemoryIsPageAligned() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, 3, 1000);

            assertThat(slab.memory().address() % 4096).isZero();
            assertThat(slab.memory().byteSize() % 4096).isZero();
        }
    }

    @Test
    void everyBufferHasItsOwnSliceOfTheSlab() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, COUNT, SIZE);
            long base = slab.memory().address();
            Set<Long> addresses = new HashSet<>();

            for (int id = 0; id < COUNT; id++) {
                MemorySegment segment = slab.segment(id);
                assertThat(segment.byteSize()).isEqualTo(SIZE);
                assertThat(segment.address()).isEqualTo(base + (long) id * SIZE);
                addresses.add(segment.address());
            }

            assertThat(addresses).hasSize(COUNT);
        }
    }

    @Test
    void segmentReturnsTheSameObjectEveryTime() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, COUNT, SIZE);

            assertThat(slab.segment(3)).isSameAs(slab.segment(3));
        }
    }

    @Test
    void takesEveryBufferOnceThenReportsExhaustion() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, COUNT, SIZE);
            Set<Integer> taken = new HashSet<>();

            for (int i = 0; i < COUNT; i++) {
                int id = slab.take();
                assertThat(id).isBetween(0, COUNT - 1);
                taken.add(id);
            }

            assertThat(taken).hasSize(COUNT);
            assertThat(slab.available()).isZero();
            assertThat(slab.take()).isEqualTo(-1);
            assertThat(slab.take()).isEqualTo(-1);
        }
    }

    @Test
    void givenBufferCanBeTakenAgain() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, COUNT, SIZE);
            for (int i = 0; i < COUNT; i++) {
                slab.take();
            }

            slab.give(5);

            assertThat(slab.available()).isEqualTo(1);
            assertThat(slab.take()).isEqualTo(5);
            assertThat(slab.take()).isEqualTo(-1);
        }
    }

    @Test
    void givingWhenAllAreFreeThrows() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, COUNT, SIZE);
            int id = slab.take();
            slab.give(id);

            assertThatThrownBy(() -> slab.give(id))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("buffer " + id);
            assertThat(slab.available()).isEqualTo(COUNT);
        }
    }

    @Test
    void buffersAreWritableAndIndependent() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            BufferSlab slab = new BufferSlab(arena, COUNT, SIZE);

            slab.segment(1).fill((byte) 7);

            assertThat(slab.segment(0).get(ValueLayout.JAVA_BYTE, SIZE - 1)).isZero();
            assertThat(slab.segment(2).get(ValueLayout.JAVA_BYTE, 0)).isZero();
            assertThat(slab.segment(1).get(ValueLayout.JAVA_BYTE, SIZE - 1)).isEqualTo((byte) 7);
        }
    }

    @Test
    void nativeMemoryIsCountedWhileTheArenaIsOpen() throws ErrnoException {
        long before = NativeMemory.inUse();
        try (Arena arena = Arena.ofConfined()) {
            new BufferSlab(arena, COUNT, SIZE);

            assertThat(NativeMemory.inUse() - before).isEqualTo((long) COUNT * SIZE);
        }
        assertThat(NativeMemory.inUse()).isEqualTo(before);
    }
}

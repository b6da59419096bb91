package dev.ringserver.io;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IoConfigTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        IoConfig config = IoConfig.DEFAULT;

        assertThat(config.recvBufferSize()).isEqualTo(16 * 1024);
        assertThat(config.recvBufferCount()).isEqualTo(512);
        assertThat(config.submissionQueueEntries()).isEqualTo(256);
        assertThat(config.completionQueueEntries()).isEqualTo(8192);
        assertThat(config.maxPendingTimeouts()).isEqualTo(4096);
        assertThat(config.maxEventsPerPoll()).isEqualTo(512);
        assertThat(config.disabledFeatures()).isEmpty();
    }

    @Test
    void defaultsPassValidation() {
        IoConfig copy = new IoConfig(IoConfig.DEFAULT.recvBufferSize(), IoConfig.DEFAULT.recvBufferCount(),
                IoConfig.DEFAULT.submissionQueueEntries(), IoConfig.DEFAULT.completionQueueEntries(),
                IoConfig.DEFAULT.maxPendingTimeouts(), IoConfig.DEFAULT.maxEventsPerPoll(), Set.of());

        assertThat(copy).isEqualTo(IoConfig.DEFAULT);
    }

    @Test
    void rejectsNonPowerOfTwoBufferCount() {
        assertThatThrownBy(() -> IoConfig.DEFAULT.withRecvBuffers(4096, 300))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recvBufferCount must be a power of two: 300");
    }

    @Test
    void rejectsNonPowerOfTwoSubmissionQueue() {
        assertThatThrownBy(() -> IoConfig.DEFAULT.withQueueEntries(100, 8192))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("submissionQueueEntries must be a power of two: 100");
    }

    @Test
    void rejectsNonPowerOfTwoCompletionQueue() {
        assertThatThrownBy(() -> IoConfig.DEFAULT.withQueueEntries(256, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("completionQueueEntries must be a power of two: 1000");
    }

    @Test
    void rejectsCompletionQueueSmallerThanSubmissionQueue() {
        assertThatThrownBy(() -> IoConfig.DEFAULT.withQueueEntries(512, 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("completionQueueEntries must be between 512 and");
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        assertThatThrownBy(() -> IoConfig.DEFAULT.withRecvBuffers(100, 512))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recvBufferSize must be between 512 and 1048576: 100");
        assertThatThrownBy(() -> IoConfig.DEFAULT.withRecvBuffers(4096, 1))
                .hasMessageStartingWith("recvBufferCount must be between 2 and");
        assertThatThrownBy(() -> new IoConfig(4096, 64, 256, 8192, 8, 512, Set.of()))
                .hasMessageStartingWith("maxPendingTimeouts must be between 16 and");
        assertThatThrownBy(() -> new IoConfig(4096, 64, 256, 8192, 4096, 0, Set.of()))
                .hasMessageStartingWith("maxEventsPerPoll must be between 1 and");
    }

    @Test
    void withRecvBuffersChangesOnlyBuffers() {
        IoConfig config = IoConfig.DEFAULT.withDisabledFeatures(Set.of("ext_arg")).withRecvBuffers(4096, 64);

        assertThat(config.recvBufferSize()).isEqualTo(4096);
        assertThat(config.recvBufferCount()).isEqualTo(64);
        assertThat(config.submissionQueueEntries()).isEqualTo(256);
        assertThat(config.completionQueueEntries()).isEqualTo(8192);
        assertThat(config.disabledFeatures()).containsExactly("ext_arg");
    }

    @Test
    void withQueueEntriesChangesOnlyQueues() {
        IoConfig config = IoConfig.DEFAULT.withQueueEntries(64, 128);

        assertThat(config.submissionQueueEntries()).isEqualTo(64);
        assertThat(config.completionQueueEntries()).isEqualTo(128);
        assertThat(config.recvBufferSize()).isEqualTo(IoConfig.DEFAULT.recvBufferSize());
        assertThat(config.recvBufferCount()).isEqualTo(IoConfig.DEFAULT.recvBufferCount());
        assertThat(config.maxPendingTimeouts()).isEqualTo(IoConfig.DEFAULT.maxPendingTimeouts());
    }

    @Test
    void allowsEverythingNotDisabled() {
        IoConfig config = IoConfig.DEFAULT.withDisabledFeatures(Set.of("buffer_ring", "multishot_recv"));

        assertThat(config.allows("buffer_ring")).isFalse();
        assertThat(config.allows("multishot_recv")).isFalse();
        assertThat(config.allows("ext_arg")).isTrue();
        assertThat(IoConfig.DEFAULT.allows("buffer_ring")).isTrue();
    }

    @Test
    void copiesDisabledFeatures() {
        Set<String> features = new HashSet<>(Set.of("buffer_ring"));
        IoConfig config = IoConfig.DEFAULT.withDisabledFeatures(features);

        features.add("ext_arg");

        assertThat(config.allows("ext_arg")).isTrue();
        assertThatThrownBy(() -> config.disabledFeatures().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}

package dev.ringserver.files;

import dev.ringserver.io.FileHandle;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FileHandle#share()}, which the descriptor cache relies on: each handle closes on its own and
 * only once, the file stays open while any handle is, and a closed handle cannot be shared again.
 */
class FileHandleSharingTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void closesTheFileWithTheLastHandle(String backend) throws Exception {
        BackendUnderTest under = backend.equals("nio") ? BackendUnderTest.nio() : BackendUnderTest.epoll();
        under.assumeAvailable();
        Path file = Files.writeString(dir.resolve("f.txt"), "shared");
        int before = Leaks.openFdCount();
        FileHandle opened = under.provider().openFile(file);
        FileHandle first = opened.share();
        FileHandle second = first.share();
        assertThat(Leaks.openFdCount()).as("one descriptor for three handles").isEqualTo(before + 1);
        assertThat(second.size()).isEqualTo(6);

        opened.close();
        opened.close(); // idempotent: must not release a second reference
        first.close();
        assertThat(Leaks.openFdCount()).as("still open for the last handle").isEqualTo(before + 1);
        assertThatThrownBy(opened::share).isInstanceOf(IllegalStateException.class);
        FileHandle third = second.share();
        second.close();
        assertThat(Leaks.openFdCount()).isEqualTo(before + 1);
        third.close();
        assertThat(Leaks.openFdCount()).as("closed with the last handle").isEqualTo(before);
        assertThatThrownBy(third::share).isInstanceOf(IllegalStateException.class);
    }
}

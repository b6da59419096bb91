package dev.ringserver.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a configuration accepts, how it normalises the prefix, and that a handler needs a real directory. */
class StaticFilesConfigTest {

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"/, /", "/static, /static/", "/static/, /static/", "/a/b, /a/b/"})
    void normalisesThePrefix(String prefix, String normalised) {
        assertThat(StaticFilesConfig.builder(root).urlPrefix(prefix).build().urlPrefix()).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "static", "/a//b", "/a/../b", "/a/./b", "/..", "/a%2fb", "/a?b"})
    void refusesPrefixesThatAreNotPlainPaths(String prefix) {
        assertThatThrownBy(() -> StaticFilesConfig.builder(root).urlPrefix(prefix).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesInvalidValues() {
        StaticFilesConfig.Builder builder = StaticFilesConfig.builder(root);
        assertThatThrownBy(() -> builder.indexFile("a/index.html").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.indexFile("..").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StaticFilesConfig.builder(root).cacheControl("max-age=1\r\nX: y").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StaticFilesConfig.builder(root).memoryCacheFileBytes(2 << 20).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StaticFilesConfig.builder(root).maxRanges(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StaticFilesConfig.builder(root).executorQueue(0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hasSafeDefaults() {
        StaticFilesConfig config = StaticFilesConfig.builder(root).build();
        assertThat(config.urlPrefix()).isEqualTo("/");
        assertThat(config.indexFile()).isEqualTo("index.html");
        assertThat(config.allowSymlinksOutside()).isFalse();
        assertThat(config.serveHidden()).isFalse();
        assertThat(config.etags()).isEqualTo(StaticFilesConfig.ETags.STRONG);
        assertThat(config.memoryCacheFileBytes()).isEqualTo(StaticFilesConfig.DEFAULT_MEMORY_CACHE_FILE_BYTES);
        assertThat(config.executor()).isNull();
        assertThat(config.executorThreads()).isBetween(2, 8);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void aHandlerNeedsAnExistingDirectory() throws Exception {
        assertThatThrownBy(() -> new StaticFileHandler(StaticFilesConfig.builder(root.resolve("missing")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        Path file = Files.writeString(root.resolve("file.txt"), "x");
        assertThatThrownBy(() -> new StaticFileHandler(StaticFilesConfig.builder(file).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a directory");
        new StaticFileHandler(StaticFilesConfig.builder(root).build()).close();
    }
}

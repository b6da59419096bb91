package dev.ringserver.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The media-type table: common web types, a charset for text, the default, and overrides. */
class MimeTypesTest {

    private final MimeTypes types = new MimeTypes(Map.of());

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "index.html        | text/html; charset=utf-8",
            "INDEX.HTM         | text/html; charset=utf-8",
            "site.css          | text/css; charset=utf-8",
            "app.js            | text/javascript; charset=utf-8",
            "module.mjs        | text/javascript; charset=utf-8",
            "notes.txt         | text/plain; charset=utf-8",
            "data.csv          | text/csv; charset=utf-8",
            "feed.xml          | text/xml; charset=utf-8",
            "data.json         | application/json",
            "app.js.map        | application/json",
            "site.webmanifest  | application/manifest+json",
            "app.wasm          | application/wasm",
            "doc.pdf           | application/pdf",
            "logo.svg          | image/svg+xml",
            "photo.JPG         | image/jpeg",
            "photo.jpeg        | image/jpeg",
            "pic.png           | image/png",
            "pic.webp          | image/webp",
            "pic.avif          | image/avif",
            "anim.gif          | image/gif",
            "favicon.ico       | image/vnd.microsoft.icon",
            "font.woff2        | font/woff2",
            "font.woff         | font/woff",
            "clip.mp4          | video/mp4",
            "clip.webm         | video/webm",
            "song.mp3          | audio/mpeg",
            "archive.zip       | application/zip",
            "archive.tar.gz    | application/gzip",
            "README            | application/octet-stream",
            "file.unknownext   | application/octet-stream",
            "dir.d/README      | application/octet-stream",
            ".bashrc           | application/octet-stream",
            "trailing.         | application/octet-stream",
    })
    void knowsTheCommonWebTypes(String name, String type) {
        assertThat(types.typeOf(name)).isEqualTo(type);
    }

    @Test
    void overridesAndAdditionsWin() {
        MimeTypes custom = new MimeTypes(Map.of("JS", "application/javascript", "glb", "model/gltf-binary"));
        assertThat(custom.typeOf("a.js")).isEqualTo("application/javascript");
        assertThat(custom.typeOf("a.glb")).isEqualTo("model/gltf-binary");
        assertThat(custom.typeOf("a.css")).isEqualTo("text/css; charset=utf-8");
        assertThatThrownBy(() -> new MimeTypes(Map.of("x", "text/plain\r\nSet-Cookie: a")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

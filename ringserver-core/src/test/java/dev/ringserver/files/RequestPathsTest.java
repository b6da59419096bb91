package dev.ringserver.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping from request paths to relative paths, with no file system: what is refused (400),
 * hidden (404) and what a path becomes. {@link StaticFilesTraversalTest} runs the same attacks
 * against files on disk, symbolic links included.
 */
class RequestPathsTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // what is served
            "/a.txt                    | 0   | a.txt",
            "/sub/b.txt                | 0   | sub/b.txt",
            "/                         | 0   | ''",
            "/./a.txt                  | 0   | a.txt",
            "/sub/./b.txt              | 0   | sub/b.txt",
            "//a.txt                   | 0   | a.txt",
            "/sub//b.txt/              | 0   | sub/b.txt",
            "/a%20b.txt                | 0   | a b.txt",
            "/caf%C3%A9.txt            | 0   | café.txt",
            "/a.txt.                   | 0   | a.txt.",
            "/%252e%252e/secret        | 0   | %2e%2e/secret",
            "/a;b=c                    | 0   | a;b=c",
            // dot-dot, raw or encoded in any case: refused, never resolved
            "/../secret                | 400 | null",
            "/sub/../../secret         | 400 | null",
            "/sub/..                   | 400 | null",
            "/%2e%2e/secret            | 400 | null",
            "/%2E%2E/secret            | 400 | null",
            "/.%2e/secret              | 400 | null",
            "/%2e./secret              | 400 | null",
            // separators and NUL hidden in escapes, raw backslashes, controls
            "/..%2fsecret              | 400 | null",
            "/%2fetc%2fpasswd          | 400 | null",
            "/..%5csecret              | 400 | null",
            "/..\\secret               | 400 | null",
            "/a.txt%00.html            | 400 | null",
            "/a%0d%0aSet-Cookie:x      | 400 | null",
            "/a%7f                     | 400 | null",
            // malformed escapes and encodings
            "/a%2                      | 400 | null",
            "/a%                       | 400 | null",
            "/a%zz                     | 400 | null",
            "/%u002e%u002e/secret      | 400 | null",
            "/%C0%AE%C0%AE/secret      | 400 | null",
            "/%e0%80%ae                | 400 | null",
            "/%ff                      | 400 | null",
            // hidden files
            "/.hidden                  | 404 | null",
            "/%2ehidden                | 404 | null",
            "/sub/.git/config          | 404 | null",
            "/...                      | 404 | null",
    })
    void resolvesOrRefuses(String path, int status, String relative) {
        RequestPaths.Resolved resolved = RequestPaths.resolve(path, "/", false);
        assertThat(resolved.status()).isEqualTo(status);
        assertThat(resolved.relative()).isEqualTo(relative);
        if (resolved.ok()) {
            assertThat(resolved.relative()).doesNotStartWith("/").doesNotContain("\\", "\0");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "/static/a.css   | 0   | a.css  | false",
            "/static/        | 0   | ''     | true",
            "/static         | 0   | ''     | false",
            "/static/x/      | 0   | x      | true",
            "/static/../x    | 400 | null   | false",
    })
    void resolvesBelowAPrefix(String path, int status, String relative, boolean trailingSlash) {
        RequestPaths.Resolved resolved = RequestPaths.resolve(path, "/static/", false);
        assertThat(resolved.status()).isEqualTo(status);
        assertThat(resolved.relative()).isEqualTo(relative);
        assertThat(resolved.trailingSlash()).isEqualTo(trailingSlash);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/.hidden | .hidden", "/.well-known/x | .well-known/x", "/a/.b | a/.b"})
    void servesHiddenPathsWhenAllowedButNeverDotDot(String path, String relative) {
        assertThat(RequestPaths.resolve(path, "/", true).relative()).isEqualTo(relative);
        assertThat(RequestPaths.resolve(path + "/..", "/", true).status()).isEqualTo(400);
    }
}

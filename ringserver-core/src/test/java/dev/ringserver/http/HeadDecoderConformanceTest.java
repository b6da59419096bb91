package dev.ringserver.http;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * Request heads from RFC 9112 and RFC 9110, each decoded whole, one byte at a time, and in two pieces
 * split at every position; the three must agree.
 */
class HeadDecoderConformanceTest {

    private static final HttpConfig STRICT = HttpConfig.DEFAULT;
    private static final HttpConfig BARE_LF = HttpConfig.builder().allowBareLf(true).build();
    private static final HttpConfig DUPLICATE_CL = HttpConfig.builder().allowDuplicateContentLength(true).build();
    private static final HttpConfig UNSAFE_TARGET = HttpConfig.builder().allowUnsafeTargetBytes(true).build();
    private static final HttpConfig ALL_LENIENT = HttpConfig.builder()
            .allowBareLf(true).allowDuplicateContentLength(true).allowUnsafeTargetBytes(true).build();
    private static final HttpConfig SMALL = HttpConfig.builder()
            .maxRequestLineBytes(32).maxHeaderBytes(64).maxHeaderCount(3).maxBodyBytes(1000).build();

    private static final String HOST = "Host: example.com\r\n";
    private static final String CRLF = "\r\n";

    /** Placed before the head's first byte, so reading before {@code start} changes the result. */
    private static final byte[] BEFORE = "Z\r\n\r\nX: y\n".getBytes(StandardCharsets.ISO_8859_1);

    /** Parsed into the reused decoder and head before every run, so state carried over shows. */
    private static final String DIRTY_HEAD = "POST http://d/?q HTTP/1.1\r\nHost: d\r\n"
            + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n";
    private static final String DIRTY_PARTIAL = "\r\nPUT /x HTTP/1.1\r\nX: y";

    // ---------------------------------------------------------------------------------------------
    // The helper
    // ---------------------------------------------------------------------------------------------

    record Field(String name, String value) {
    }

    /** What {@link HeadDecoder#decode} returned, and the parsed head when it returned a length. */
    record Outcome(int result, Head head) {
    }

    record Head(int method, String methodName, String target, int targetForm, String path, String query,
                int minorVersion, String version, List<Field> fields, String host, long contentLength,
                boolean chunked, boolean hasBody, boolean keepAlive, boolean expectsContinue, Object probe) {
    }

    /** The common outcome, and after how many bytes the byte-at-a-time run decided it. */
    record Decoded(Outcome outcome, int decidedAfter) {
    }

    static Decoded decodeEveryWay(HttpConfig config, String request) {
        return decodeEveryWay(config, request, head -> null);
    }

    static Decoded decodeEveryWay(HttpConfig config, String request, Function<RequestHead, Object> probe) {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        int n = bytes.length;
        HeadDecoder decoder = new HeadDecoder(config);
        RequestHead head = new RequestHead(config.maxHeaderCount());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(BEFORE.length + n);
            MemorySegment.copy(BEFORE, 0, all, ValueLayout.JAVA_BYTE, 0, BEFORE.length);
            MemorySegment.copy(bytes, 0, all, ValueLayout.JAVA_BYTE, BEFORE.length, n);

            Decoded whole = feed(decoder, head, all, new int[] {n}, probe);
            Decoded byteByByte = feed(decoder, head, all, IntStream.rangeClosed(1, n).toArray(), probe);
            assertThat(byteByByte.outcome()).as("one byte at a time vs whole").isEqualTo(whole.outcome());
            for (int split = 1; split < n; split++) {
                Decoded twoPieces = feed(decoder, head, all, new int[] {split, n}, probe);
                assertThat(twoPieces.outcome()).as("split after byte %d vs whole", split).isEqualTo(whole.outcome());
            }
            return byteByByte;
        }
    }

    /** Decodes with {@code data} growing to each cut in turn, as if the bytes arrived that way. */
    private static Decoded feed(HeadDecoder decoder, RequestHead head, MemorySegment all, int[] cuts,
                                Function<RequestHead, Object> probe) {
        dirty(decoder, head);
        int start = BEFORE.length;
        for (int cut : cuts) {
            int result = decoder.decode(all.asSlice(0, start + cut), start, cut, head);
            if (result > 0) {
                return new Decoded(new Outcome(result, snapshot(head, probe)), cut);
            }
            if (result < 0) {
                return new Decoded(new Outcome(result, null), cut);
            }
        }
        return new Decoded(new Outcome(HeadDecoder.NEED_MORE, null), cuts[cuts.length - 1]);
    }

    private static void dirty(HeadDecoder decoder, RequestHead head) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dirty = nativeBytes(arena, DIRTY_HEAD + DIRTY_PARTIAL);
            decoder.reset();
            decoder.decode(dirty, 0, DIRTY_HEAD.length(), head);
            decoder.reset();
            decoder.decode(dirty, DIRTY_HEAD.length(), DIRTY_PARTIAL.length(), head);
        }
        decoder.reset();
    }

    /** Exactly the bytes of {@code text}, so that reading past them throws. */
    static MemorySegment nativeBytes(Arena arena, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    private static Head snapshot(RequestHead head, Function<RequestHead, Object> probe) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < head.headerCount(); i++) {
            fields.add(new Field(head.headerName(i), head.headerValue(i)));
        }
        return new Head(head.method(), head.methodName(), head.target(), head.targetForm(), head.path(), head.query(),
                head.minorVersion(), head.version(), List.copyOf(fields), head.host(), head.contentLength(),
                head.isChunked(), head.hasBody(), head.keepAlive(), head.expectsContinue(), probe.apply(head));
    }

    // ---------------------------------------------------------------------------------------------
    // Expected outcomes
    // ---------------------------------------------------------------------------------------------

    /** An expected outcome: an error status, "need more", or a head whose unset properties are defaults. */
    static final class Expect {
        private final int status;
        private final boolean needMore;
        private String methodName;
        private int methodId;
        private String target;
        private int form = RequestHead.ORIGIN_FORM;
        private String path;
        private String query;
        private int minor = 1;
        private String host = "example.com";
        private List<Field> fields;
        private long contentLength = -1;
        private boolean chunked;
        private Boolean keepAlive;
        private boolean expectContinue;
        private int length = -1;

        private Expect(int status, boolean needMore) {
            this.status = status;
            this.needMore = needMore;
        }

        static Expect error(int status) {
            return new Expect(status, false);
        }

        static Expect needMore() {
            return new Expect(0, true);
        }

        static Expect head(String methodName, int methodId, String target) {
            Expect expect = new Expect(0, false);
            expect.methodName = methodName;
            expect.methodId = methodId;
            expect.target = target;
            int question = target.indexOf('?');
            expect.path = question < 0 ? target : target.substring(0, question);
            expect.query = question < 0 ? null : target.substring(question + 1);
            return expect;
        }

        static Expect get(String target) {
            return head("GET", HttpMethod.GET, target);
        }

        Expect form(int value, String expectedPath, String expectedQuery) {
            form = value;
            path = expectedPath;
            query = expectedQuery;
            return this;
        }

        Expect http10() {
            minor = 0;
            return this;
        }

        Expect host(String value) {
            host = value;
            return this;
        }

        Expect fields(String... nameValuePairs) {
            List<Field> list = new ArrayList<>();
            for (int i = 0; i < nameValuePairs.length; i += 2) {
                list.add(new Field(nameValuePairs[i], nameValuePairs[i + 1]));
            }
            fields = list;
            return this;
        }

        Expect contentLength(long value) {
            contentLength = value;
            return this;
        }

        Expect chunked() {
            chunked = true;
            return this;
        }

        Expect keepAlive(boolean value) {
            keepAlive = value;
            return this;
        }

        Expect expectContinue() {
            expectContinue = true;
            return this;
        }

        Expect length(int value) {
            length = value;
            return this;
        }

        void verify(String request, Outcome outcome) {
            if (needMore) {
                assertThat(outcome).isEqualTo(new Outcome(HeadDecoder.NEED_MORE, null));
                return;
            }
            if (status != 0) {
                assertThat(outcome).as("outcome").isEqualTo(new Outcome(-status, null));
                return;
            }
            assertThat(outcome.result()).as("decode result (head length or -status)")
                    .isEqualTo(length >= 0 ? length : request.length());
            Head h = outcome.head();
            boolean keep = keepAlive != null ? keepAlive : minor == 1;
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(h.methodName()).as("methodName").isEqualTo(methodName);
            soft.assertThat(h.method()).as("method id").isEqualTo(methodId);
            soft.assertThat(h.target()).as("target").isEqualTo(target);
            soft.assertThat(h.targetForm()).as("target form").isEqualTo(form);
            soft.assertThat(h.path()).as("path").isEqualTo(path);
            soft.assertThat(h.query()).as("query").isEqualTo(query);
            soft.assertThat(h.minorVersion()).as("minor version").isEqualTo(minor);
            soft.assertThat(h.version()).as("version").isEqualTo(minor == 0 ? "HTTP/1.0" : "HTTP/1.1");
            soft.assertThat(h.host()).as("host").isEqualTo(host);
            if (fields != null) {
                soft.assertThat(h.fields()).as("fields").isEqualTo(fields);
            }
            soft.assertThat(h.contentLength()).as("content length").isEqualTo(contentLength);
            soft.assertThat(h.chunked()).as("chunked").isEqualTo(chunked);
            soft.assertThat(h.hasBody()).as("hasBody").isEqualTo(chunked || contentLength > 0);
            soft.assertThat(h.keepAlive()).as("keep-alive").isEqualTo(keep);
            soft.assertThat(h.expectsContinue()).as("expects continue").isEqualTo(expectContinue);
            soft.assertAll();
        }
    }

    private static Arguments ok(String name, String request, Expect expect) {
        return argumentSet(name, STRICT, request, expect);
    }

    private static Arguments ok(String name, HttpConfig config, String request, Expect expect) {
        return argumentSet(name, config, request, expect);
    }

    private static Arguments bad(String name, String request, int status) {
        return argumentSet(name, STRICT, request, Expect.error(status));
    }

    private static Arguments bad(String name, HttpConfig config, String request, int status) {
        return argumentSet(name, config, request, Expect.error(status));
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\n" + HOST + CRLF;
    }

    private static String withFields(String... lines) {
        return "GET / HTTP/1.1\r\n" + String.join("", Arrays.stream(lines).map(line -> line + CRLF).toList()) + CRLF;
    }

    // ---------------------------------------------------------------------------------------------
    // Tables
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource({"requestLine", "targets", "versions", "lineEnds", "fields", "host", "contentLength",
            "transferEncoding", "connection", "expect", "limits"})
    void decodesTheSameHoweverSplit(HttpConfig config, String request, Expect expect) {
        Decoded decoded = decodeEveryWay(config, request);

        expect.verify(request, decoded.outcome());
    }

    static Stream<Arguments> requestLine() {
        return Stream.of(
                ok("RFC 9110 §9.3.1 GET", get("/"), Expect.get("/").fields("Host", "example.com")),
                ok("RFC 9110 §9.3.2 HEAD", "HEAD / HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("HEAD", HttpMethod.HEAD, "/")),
                ok("RFC 9110 §9.3.3 POST", "POST /form HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\n\r\n",
                        Expect.head("POST", HttpMethod.POST, "/form").contentLength(3)),
                ok("RFC 9110 §9.3.4 PUT", "PUT /r HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n",
                        Expect.head("PUT", HttpMethod.PUT, "/r").contentLength(0)),
                ok("RFC 9110 §9.3.5 DELETE", "DELETE /r HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("DELETE", HttpMethod.DELETE, "/r")),
                ok("RFC 9110 §9.3.7 OPTIONS * (RFC 9112 §3.2.4 asterisk-form)", "OPTIONS * HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("OPTIONS", HttpMethod.OPTIONS, "*").form(RequestHead.ASTERISK_FORM, "*", null)),
                ok("RFC 9110 §9.3.7 OPTIONS with a path", "OPTIONS /r HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("OPTIONS", HttpMethod.OPTIONS, "/r")),
                ok("RFC 9110 §9.3.6 CONNECT (RFC 9112 §3.2.3 authority-form)",
                        "CONNECT example.com:443 HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("CONNECT", HttpMethod.CONNECT, "example.com:443")
                                .form(RequestHead.AUTHORITY_FORM, "example.com:443", null)),
                ok("RFC 9110 §9.3.8 TRACE", "TRACE / HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("TRACE", HttpMethod.TRACE, "/")),
                ok("RFC 5789 PATCH", "PATCH /r HTTP/1.1\r\n" + HOST + "Content-Length: 2\r\n\r\n",
                        Expect.head("PATCH", HttpMethod.PATCH, "/r").contentLength(2)),
                ok("RFC 9110 §9.1 extension method token PURGE", "PURGE /r HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("PURGE", HttpMethod.OTHER, "/r")),
                ok("RFC 9110 §9.1 a method of every tchar symbol", "!#$%&'*+-.^_`|~09Az / HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("!#$%&'*+-.^_`|~09Az", HttpMethod.OTHER, "/")),
                ok("RFC 9110 §9.1 methods are case-sensitive: get is another method", "get / HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("get", HttpMethod.OTHER, "/")),
                ok("RFC 9110 §9.1 Get is another method too", "Get / HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("Get", HttpMethod.OTHER, "/")),
                bad("RFC 9110 §5.6.2 '(' is not a tchar", "G(T / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9110 §5.6.2 '@' is not a tchar", "GE@T / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9110 §5.6.2 ':' is not a tchar", "GET: / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9110 §5.6.2 '\"' is not a tchar", "G\"T / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9110 §5.6.2 non-ASCII is not a tchar", "G\u00c9T / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9110 §5.6.2 NUL in the method", "GE\0T / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 double SP before the target", "GET  / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 double SP before the version", "GET /  HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 leading SP", " GET / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 leading HTAB", "\tGET / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 missing target", "GET HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 empty target between two SP", "GET  HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 missing version", "GET /\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 missing version after SP", "GET / \r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 method only", "GET\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 HTAB instead of the first SP", "GET\t/ HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 HTAB instead of the second SP", "GET /\tHTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 trailing SP after the version", "GET / HTTP/1.1 \r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 trailing HTAB after the version", "GET / HTTP/1.1\t\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3 a fourth element", "GET / HTTP/1.1 x\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.2 a request line of SP only", " \r\n" + HOST + CRLF, 400));
    }

    static Stream<Arguments> targets() {
        List<Arguments> cases = new ArrayList<>(List.of(
                ok("RFC 9112 §3.2.1 origin-form with a query", get("/search?q=a+b&lang=en"),
                        Expect.get("/search?q=a+b&lang=en")),
                ok("RFC 9112 §3.2.1 the query starts at the first '?'", get("/a?b?c/d"), Expect.get("/a?b?c/d")),
                ok("RFC 9112 §3.2.1 empty query", get("/p?"), Expect.get("/p?")),
                ok("RFC 3986 §3.3 every pchar and sub-delim in the path",
                        get("/az-AZ_09.~!$&'()*+,;=:@/x"), Expect.get("/az-AZ_09.~!$&'()*+,;=:@/x")),
                ok("RFC 3986 §3.3 empty segments", get("//a//b"), Expect.get("//a//b")),
                ok("RFC 3986 §2.1 percent-encoding, any case", get("/a%20b%2f%2F?x=%C3%A9"),
                        Expect.get("/a%20b%2f%2F?x=%C3%A9")),
                bad("RFC 3986 §2.1 '%zz' is not a percent-encoding", get("/%zz"), 400),
                bad("RFC 3986 §2.1 '%4' at the end", get("/a%4"), 400),
                bad("RFC 3986 §2.1 '%' at the end", get("/a%"), 400),
                bad("RFC 3986 §2.1 '%4g'", get("/a%4gb"), 400),
                bad("RFC 3986 §2.1 a bad percent-encoding in the query", get("/a?q=%4"), 400),
                bad("RFC 3986 §2.1 a bad percent-encoding stays bad with allowUnsafeTargetBytes",
                        UNSAFE_TARGET, get("/%zz"), 400),
                bad("RFC 3986 §3.5 '#' (a fragment) is never sent", get("/a#f"), 400),
                bad("RFC 3986 §3.5 '#' stays rejected with allowUnsafeTargetBytes", UNSAFE_TARGET, get("/a#f"), 400),
                bad("RFC 3986 §2 a control byte in the target", get("/a\u0001b"), 400),
                bad("RFC 3986 §2 a control byte stays rejected with allowUnsafeTargetBytes",
                        UNSAFE_TARGET, get("/a\u0001b"), 400),
                bad("RFC 3986 §2 DEL in the target", get("/a\u007fb"), 400),
                bad("RFC 3986 §2 DEL stays rejected with allowUnsafeTargetBytes (a control, see report)",
                        UNSAFE_TARGET, get("/a\u007fb"), 400),
                ok("RFC 9112 §3.2.2 absolute-form with port, path and query",
                        get("http://example.com:8080/a?b"),
                        Expect.get("http://example.com:8080/a?b").form(RequestHead.ABSOLUTE_FORM, "/a", "b")),
                ok("RFC 9112 §3.2.2 absolute-form without a path has path '/'", get("http://example.com"),
                        Expect.get("http://example.com").form(RequestHead.ABSOLUTE_FORM, "/", null)),
                ok("RFC 9112 §3.2.2 absolute-form with a query and no path", get("http://example.com?x"),
                        Expect.get("http://example.com?x").form(RequestHead.ABSOLUTE_FORM, "/", "x")),
                ok("RFC 9112 §3.2.2 absolute-form with an IP literal", get("https://[::1]:8443/x"),
                        Expect.get("https://[::1]:8443/x").form(RequestHead.ABSOLUTE_FORM, "/x", null)),
                bad("RFC 9110 §4.2.4 userinfo in an absolute-form target", get("http://user@example.com/"), 400),
                bad("RFC 9110 §4.2.1 empty host in an http URI", get("http:///a"), 400),
                bad("RFC 9112 §3.2.2 absolute-form with a bad percent-encoding", get("http://example.com/%zz"), 400),
                bad("RFC 9112 §3.2.4 asterisk-form only for OPTIONS", get("*"), 400),
                bad("RFC 9112 §3.2.4 asterisk-form only for OPTIONS (POST)", "POST * HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3.2.4 asterisk-form is a lone '*'", "OPTIONS *x HTTP/1.1\r\n" + HOST + CRLF, 400),
                ok("RFC 9112 §3.2.3 CONNECT to an IP literal", "CONNECT [::1]:443 HTTP/1.1\r\n" + HOST + CRLF,
                        Expect.head("CONNECT", HttpMethod.CONNECT, "[::1]:443")
                                .form(RequestHead.AUTHORITY_FORM, "[::1]:443", null)),
                bad("RFC 9110 §9.3.6 CONNECT requires a port", "CONNECT example.com HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9110 §9.3.6 CONNECT requires a port, not an empty one",
                        "CONNECT example.com: HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3.2.3 authority-form has no userinfo",
                        "CONNECT user@example.com:443 HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3.2.3 authority-form only for CONNECT", get("example.com:443"), 400),
                bad("RFC 9110 §9.3.6 CONNECT takes no origin-form", "CONNECT / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9110 §9.3.6 CONNECT takes no absolute-form",
                        "CONNECT http://example.com:443/ HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §3.2 a relative target", get("a/b"), 400),
                bad("RFC 9112 §3.2 a scheme without '//'", get("http:a"), 400)));
        for (char c : new char[] {'"', '<', '>', '\\', '^', '`', '{', '|', '}', '[', ']', '\u0080', '\u00e9', '\u00ff'}) {
            String hex = String.format("0x%02X", (int) c);
            cases.add(bad("RFC 3986 §2 " + hex + " in the path", get("/a" + c + "b"), 400));
            cases.add(bad("RFC 3986 §2 " + hex + " in the query", get("/a?b" + c), 400));
            cases.add(ok(hex + " accepted with allowUnsafeTargetBytes", UNSAFE_TARGET, get("/a" + c + "b?q" + c),
                    Expect.get("/a" + c + "b?q" + c)));
        }
        return cases.stream();
    }

    static Stream<Arguments> versions() {
        return Stream.of(
                ok("RFC 9112 §2.3 HTTP/1.0", "GET / HTTP/1.0\r\n\r\n", Expect.get("/").http10().host(null)),
                ok("RFC 9112 §2.3 HTTP/1.1", get("/"), Expect.get("/")),
                ok("RFC 9110 §2.5 HTTP/1.2 is processed as 1.1", "GET / HTTP/1.2\r\n" + HOST + CRLF, Expect.get("/")),
                ok("RFC 9110 §2.5 HTTP/1.9 is processed as 1.1", "GET / HTTP/1.9\r\n" + HOST + CRLF, Expect.get("/")),
                bad("RFC 9110 §15.6.6 HTTP/2.0 gets 505", "GET / HTTP/2.0\r\n" + HOST + CRLF, 505),
                bad("RFC 9110 §15.6.6 HTTP/0.9 gets 505", "GET / HTTP/0.9\r\n" + HOST + CRLF, 505),
                bad("RFC 9110 §15.6.6 HTTP/3.1 gets 505", "GET / HTTP/3.1\r\n" + HOST + CRLF, 505),
                bad("RFC 9112 §2.3 HTTP/1.10 (one digit each)", "GET / HTTP/1.10\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTP/11", "GET / HTTP/11\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTP/1", "GET / HTTP/1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTP/1.", "GET / HTTP/1.\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTP-name is case-sensitive: http/1.1", "GET / http/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 Http/1.1", "GET / Http/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTP/1.1x", "GET / HTTP/1.1x\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTP/1.x", "GET / HTTP/1.x\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTPS/1.1", "GET / HTTPS/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.3 HTTP 1.1", "GET / HTTP 1.1\r\n" + HOST + CRLF, 400));
    }

    static Stream<Arguments> lineEnds() {
        return Stream.of(
                ok("RFC 9112 §2.2 CRLF everywhere", "GET / HTTP/1.1\r\nHost: example.com\r\nX: y\r\n\r\n",
                        Expect.get("/").fields("Host", "example.com", "X", "y")),
                bad("RFC 9112 §2.2 bare LF after the request line", "GET / HTTP/1.1\nHost: example.com\r\n\r\n", 400),
                bad("RFC 9112 §2.2 bare LF after a field line", "GET / HTTP/1.1\r\nHost: example.com\n\r\n", 400),
                bad("RFC 9112 §2.2 bare LF as the final empty line", "GET / HTTP/1.1\r\nHost: example.com\r\n\n", 400),
                bad("RFC 9112 §2.2 bare LF everywhere", "GET / HTTP/1.1\nHost: example.com\n\n", 400),
                bad("RFC 9112 §2.2 bare LF before the request line", "\nGET / HTTP/1.1\r\n" + HOST + CRLF, 400),
                ok("RFC 9112 §2.2 bare LF everywhere with allowBareLf", BARE_LF,
                        "GET / HTTP/1.1\nHost: example.com\nX: y\n\n",
                        Expect.get("/").fields("Host", "example.com", "X", "y")),
                ok("RFC 9112 §2.2 mixed LF and CRLF with allowBareLf", BARE_LF,
                        "\nGET / HTTP/1.1\r\nHost: example.com\nX: y\r\n\n",
                        Expect.get("/").fields("Host", "example.com", "X", "y")),
                bad("RFC 9112 §2.2 bare CR inside the request line", "GET /\r HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.2 bare CR ending the request line", "GET / HTTP/1.1\rHost: example.com\r\n\r\n", 400),
                bad("RFC 9112 §2.2 CR CR LF", "GET / HTTP/1.1\r\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.2 bare CR inside a field value", withFields(HOST.strip(), "X: a\rb"), 400),
                bad("RFC 9112 §2.2 bare CR inside a field name", withFields(HOST.strip(), "X\rY: a"), 400),
                bad("RFC 9112 §2.2 bare CR as the final empty line", "GET / HTTP/1.1\r\n" + HOST + "\r\r\n", 400),
                bad("RFC 9112 §2.2 bare CR before the request line", "\r\rGET / HTTP/1.1\r\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.2 bare CR in a value stays rejected with allowBareLf", BARE_LF,
                        withFields(HOST.strip(), "X: a\rb"), 400),
                bad("RFC 9112 §2.2 bare CR in the request line stays rejected with allowBareLf", BARE_LF,
                        "GET /\r HTTP/1.1\n" + HOST + CRLF, 400),
                bad("RFC 9112 §2.2 bare CR before the request line stays rejected with allowBareLf", BARE_LF,
                        "\r\rGET / HTTP/1.1\n" + HOST + CRLF, 400),
                ok("RFC 9112 §2.2 an empty line before the request line is skipped",
                        "\r\nGET / HTTP/1.1\r\n" + HOST + CRLF, Expect.get("/")),
                ok("RFC 9112 §2.2 several empty lines before the request line are skipped",
                        "\r\n\r\n\r\nGET / HTTP/1.1\r\n" + HOST + CRLF, Expect.get("/")),
                ok("RFC 9112 §2.2 empty LF lines skipped with allowBareLf", BARE_LF,
                        "\n\r\n\nGET / HTTP/1.1\n" + HOST + CRLF, Expect.get("/")),
                ok("RFC 9112 §6.3 the head ends at its empty line; body bytes are not part of it",
                        "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\nhello",
                        Expect.head("POST", HttpMethod.POST, "/").contentLength(5)
                                .length(("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\n").length())),
                ok("RFC 9112 §9.3 a pipelined request after the head is not part of it",
                        get("/") + "GET /next HTTP/1.1\r\n", Expect.get("/").length(get("/").length())),
                needMoreCase("RFC 9112 §2.1 an unfinished head needs more", STRICT, "GET / HTTP/1.1\r\n" + HOST + "\r"),
                needMoreCase("RFC 9112 §2.2 empty lines alone need more", STRICT, "\r\n\r\n\r\n"));
    }

    private static Arguments needMoreCase(String name, HttpConfig config, String request) {
        return argumentSet(name, config, request, Expect.needMore());
    }

    static Stream<Arguments> fields() {
        return Stream.of(
                bad("RFC 9112 §5.1 SP between field name and colon", withFields("Host : example.com"), 400),
                bad("RFC 9112 §5.1 HTAB between field name and colon", withFields(HOST.strip(), "X\t: y"), 400),
                bad("RFC 9112 §5.2 obs-fold with SP", withFields(HOST.strip(), "X: a", " b"), 400),
                bad("RFC 9112 §5.2 obs-fold with HTAB", withFields(HOST.strip(), "X: a", "\tb"), 400),
                bad("RFC 9112 §5.2 obs-fold continuing Host", withFields("Host: example.com", " .org"), 400),
                bad("RFC 9112 §2.2 whitespace before the first field line", withFields(" X: y", HOST.strip()), 400),
                bad("RFC 9112 §5 empty field name", withFields(HOST.strip(), ": y"), 400),
                bad("RFC 9112 §5 a line without a colon", withFields(HOST.strip(), "Xy"), 400),
                bad("RFC 9110 §5.1 '@' in a field name", withFields(HOST.strip(), "X@Y: z"), 400),
                bad("RFC 9110 §5.1 SP inside a field name", withFields(HOST.strip(), "X Y: z"), 400),
                bad("RFC 9110 §5.1 '(' in a field name", withFields(HOST.strip(), "X(Y): z"), 400),
                bad("RFC 9110 §5.1 non-ASCII in a field name", withFields(HOST.strip(), "X\u00e9: z"), 400),
                bad("RFC 9110 §5.1 NUL in a field name", withFields(HOST.strip(), "X\0: z"), 400),
                bad("RFC 9110 §5.5 NUL in a field value", withFields(HOST.strip(), "X: a\0b"), 400),
                bad("RFC 9110 §5.5 0x01 in a field value", withFields(HOST.strip(), "X: a\u0001b"), 400),
                bad("RFC 9110 §5.5 0x1F in a field value", withFields(HOST.strip(), "X: a\u001fb"), 400),
                bad("RFC 9110 §5.5 DEL in a field value", withFields(HOST.strip(), "X: a\u007fb"), 400),
                bad("RFC 9110 §5.5 a control at the end of a value", withFields(HOST.strip(), "X: ab\u000b"), 400),
                ok("RFC 9110 §5.5 HTAB inside a value", withFields(HOST.strip(), "X: a\tb"),
                        Expect.get("/").fields("Host", "example.com", "X", "a\tb")),
                ok("RFC 9110 §5.5 obs-text in a value", withFields(HOST.strip(), "X: caf\u00e9 \u0080\u00ff"),
                        Expect.get("/").fields("Host", "example.com", "X", "caf\u00e9 \u0080\u00ff")),
                ok("RFC 9112 §5.1 leading and trailing OWS are not part of the value",
                        withFields(HOST.strip(), "X: \t a b \t ", "Y:z"),
                        Expect.get("/").fields("Host", "example.com", "X", "a b", "Y", "z")),
                ok("RFC 9110 §5.5 empty values", withFields(HOST.strip(), "X:", "Y:   \t"),
                        Expect.get("/").fields("Host", "example.com", "X", "", "Y", "")),
                ok("RFC 9110 §5.1 a name of every tchar symbol", withFields(HOST.strip(), "!#$%&'*+-.^_`|~09Az: v"),
                        Expect.get("/").fields("Host", "example.com", "!#$%&'*+-.^_`|~09Az", "v")),
                ok("RFC 9110 §5.3 repeated fields keep their order",
                        withFields(HOST.strip(), "X: 1", "Y: 2", "x: 3"),
                        Expect.get("/").fields("Host", "example.com", "X", "1", "Y", "2", "x", "3")),
                ok("RFC 9110 §5.1 known field names in any case",
                        "POST / HTTP/1.1\r\nhOST: example.com\r\ncontent-LENGTH: 7\r\nCONNECTION: CLOSE\r\n\r\n",
                        Expect.head("POST", HttpMethod.POST, "/").contentLength(7).keepAlive(false)));
    }

    static Stream<Arguments> host() {
        return Stream.of(
                bad("RFC 9112 §3.2 HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400),
                bad("RFC 9112 §3.2 HTTP/1.1 without any field", "GET / HTTP/1.1\r\n\r\n", 400),
                ok("RFC 9112 §3.2 HTTP/1.0 without Host", "GET / HTTP/1.0\r\nX: y\r\n\r\n",
                        Expect.get("/").http10().host(null)),
                ok("RFC 9112 §3.2 HTTP/1.0 with Host", "GET / HTTP/1.0\r\n" + HOST + CRLF, Expect.get("/").http10()),
                bad("RFC 9112 §3.2 two Host fields", withFields("Host: a", "Host: b"), 400),
                bad("RFC 9112 §3.2 two identical Host fields", withFields("Host: a", "host: a"), 400),
                bad("RFC 9112 §3.2 two Host fields on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                bad("RFC 9112 §3.2 two Host fields with lenient options", ALL_LENIENT,
                        withFields("Host: a", "Host: a"), 400),
                ok("RFC 9112 §3.2 empty Host", withFields("Host:"), Expect.get("/").host("")),
                ok("RFC 9110 §7.2 Host with a port", withFields("Host: example.com:8080"),
                        Expect.get("/").host("example.com:8080")),
                ok("RFC 9110 §7.2 Host as an IPv6 literal with a port", withFields("Host: [::1]:8080"),
                        Expect.get("/").host("[::1]:8080")),
                ok("RFC 9110 §7.2 Host as an IPv4 address", withFields("Host: 192.0.2.1"),
                        Expect.get("/").host("192.0.2.1")),
                ok("RFC 3986 §3.2.2 Host with a percent-encoding", withFields("Host: ex%41mple.com"),
                        Expect.get("/").host("ex%41mple.com")),
                ok("RFC 9112 §5.1 Host value without its OWS", withFields("Host: \t example.com \t"),
                        Expect.get("/").host("example.com")),
                bad("RFC 9110 §7.2 Host with userinfo", withFields("Host: user@example.com"), 400),
                bad("RFC 9110 §7.2 Host with a non-numeric port", withFields("Host: example.com:abc"), 400),
                bad("RFC 9110 §7.2 Host with SP inside", withFields("Host: ho st"), 400),
                bad("RFC 9110 §7.2 Host with a bad percent-encoding", withFields("Host: ex%zzample.com"), 400),
                bad("RFC 9110 §7.2 Host with a truncated percent-encoding", withFields("Host: example%4"), 400),
                bad("RFC 9110 §7.2 Host with an unclosed IP literal", withFields("Host: [::1"), 400),
                bad("RFC 9110 §7.2 Host with a path", withFields("Host: example.com/a"), 400),
                bad("RFC 9110 §7.2 a bad Host on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n", 400),
                ok("RFC 9112 §3.2.2 absolute-form still needs its Host field",
                        "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n",
                        Expect.get("http://a.example/").form(RequestHead.ABSOLUTE_FORM, "/", null).host("a.example")),
                bad("RFC 9112 §3.2 absolute-form without Host on HTTP/1.1",
                        "GET http://a.example/ HTTP/1.1\r\n\r\n", 400));
    }

    static Stream<Arguments> contentLength() {
        return Stream.of(
                ok("RFC 9110 §8.6 Content-Length: 0", withFields(HOST.strip(), "Content-Length: 0"),
                        Expect.get("/").contentLength(0)),
                ok("RFC 9110 §8.6 Content-Length: 42", withFields(HOST.strip(), "Content-Length: 42"),
                        Expect.get("/").contentLength(42)),
                ok("RFC 9110 §8.6 leading zeros", withFields(HOST.strip(), "Content-Length: 0042"),
                        Expect.get("/").contentLength(42)),
                ok("RFC 9112 §5.1 OWS around the value is not part of it", withFields(HOST.strip(), "Content-Length:  5 \t"),
                        Expect.get("/").contentLength(5)),
                bad("RFC 9110 §8.6 '+5' is not 1*DIGIT", withFields(HOST.strip(), "Content-Length: +5"), 400),
                bad("RFC 9110 §8.6 '-1' is not 1*DIGIT", withFields(HOST.strip(), "Content-Length: -1"), 400),
                bad("RFC 9110 §8.6 '5 5'", withFields(HOST.strip(), "Content-Length: 5 5"), 400),
                bad("RFC 9110 §8.6 '5,5' is rejected by default", withFields(HOST.strip(), "Content-Length: 5,5"), 400),
                bad("RFC 9110 §8.6 an empty Content-Length", withFields(HOST.strip(), "Content-Length:"), 400),
                bad("RFC 9110 §8.6 hex is not decimal", withFields(HOST.strip(), "Content-Length: 0x5"), 400),
                bad("RFC 9110 §8.6 '5a'", withFields(HOST.strip(), "Content-Length: 5a"), 400),
                bad("RFC 9110 §8.6 '5.0'", withFields(HOST.strip(), "Content-Length: 5.0"), 400),
                bad("RFC 9112 §6.3 two identical Content-Length fields are rejected by default",
                        withFields(HOST.strip(), "Content-Length: 5", "Content-Length: 5"), 400),
                ok("RFC 9110 §8.6 two identical Content-Length fields with allowDuplicateContentLength", DUPLICATE_CL,
                        withFields(HOST.strip(), "Content-Length: 5", "Content-Length: 5"),
                        Expect.get("/").contentLength(5)),
                ok("RFC 9110 §8.6 '5, 5' with allowDuplicateContentLength", DUPLICATE_CL,
                        withFields(HOST.strip(), "Content-Length: 5 ,5, 5"), Expect.get("/").contentLength(5)),
                bad("RFC 9112 §6.3 differing Content-Length fields", withFields(HOST.strip(), "Content-Length: 5",
                        "Content-Length: 6"), 400),
                bad("RFC 9112 §6.3 differing Content-Length fields even when lenient", DUPLICATE_CL,
                        withFields(HOST.strip(), "Content-Length: 5", "Content-Length: 6"), 400),
                bad("RFC 9112 §6.3 a list of differing values even when lenient", DUPLICATE_CL,
                        withFields(HOST.strip(), "Content-Length: 5, 6"), 400),
                bad("RFC 9112 §6.3 a list and a differing field even when lenient", DUPLICATE_CL,
                        withFields(HOST.strip(), "Content-Length: 5, 5", "Content-Length: 6"), 400),
                bad("RFC 9112 §6.3 a valid then an invalid Content-Length when lenient", DUPLICATE_CL,
                        withFields(HOST.strip(), "Content-Length: 5", "Content-Length: x"), 400),
                bad("RFC 9110 §8.6 2^63 overflows", withFields(HOST.strip(), "Content-Length: 9223372036854775808"), 400),
                bad("RFC 9110 §8.6 20 digits overflow", withFields(HOST.strip(), "Content-Length: 99999999999999999999"), 400),
                bad("RFC 9110 §8.6 overflow stays 400 when lenient", DUPLICATE_CL,
                        withFields(HOST.strip(), "Content-Length: 18446744073709551621"), 400),
                bad("RFC 9110 §15.5.14 2^63-1 is valid but above the body limit",
                        withFields(HOST.strip(), "Content-Length: 9223372036854775807"), 413),
                ok("RFC 9110 §15.5.14 Content-Length at the body limit", SMALL,
                        withFields("Host: h", "Content-Length: 1000"), Expect.get("/").host("h").contentLength(1000)),
                bad("RFC 9110 §15.5.14 Content-Length above the body limit", SMALL,
                        withFields("Host: h", "Content-Length: 1001"), 413));
    }

    static Stream<Arguments> transferEncoding() {
        return Stream.of(
                ok("RFC 9112 §6.1 chunked", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n",
                        Expect.head("POST", HttpMethod.POST, "/").chunked()),
                ok("RFC 9112 §7 coding names are case-insensitive", withFields(HOST.strip(), "Transfer-Encoding: CHUNKED"),
                        Expect.get("/").chunked()),
                ok("RFC 9112 §7 Chunked", withFields(HOST.strip(), "transfer-encoding: Chunked"),
                        Expect.get("/").chunked()),
                ok("RFC 9110 §5.6.1 empty list elements are ignored", withFields(HOST.strip(),
                        "Transfer-Encoding: , chunked"), Expect.get("/").chunked()),
                ok("RFC 9110 §5.6.1 empty list elements everywhere", withFields(HOST.strip(),
                        "Transfer-Encoding: ,, \t,chunked ,,"), Expect.get("/").chunked()),
                ok("RFC 9110 §5.6.1 an empty Transfer-Encoding field after chunked", withFields(HOST.strip(),
                        "Transfer-Encoding: chunked", "Transfer-Encoding:"), Expect.get("/").chunked()),
                bad("RFC 9112 §6.1 gzip, chunked: a coding not understood gets 501",
                        withFields(HOST.strip(), "Transfer-Encoding: gzip, chunked"), 501),
                bad("RFC 9112 §6.1 a coding with parameters before chunked gets 501",
                        withFields(HOST.strip(), "Transfer-Encoding: foo;a=b;c=\"d e\", chunked"), 501),
                bad("RFC 9112 §6.1 gzip then chunked in separate fields gets 501",
                        withFields(HOST.strip(), "Transfer-Encoding: gzip", "Transfer-Encoding: chunked"), 501),
                bad("RFC 9112 §6.3 chunked, gzip: chunked not last",
                        withFields(HOST.strip(), "Transfer-Encoding: chunked, gzip"), 400),
                bad("RFC 9112 §6.3 chunked then gzip in separate fields",
                        withFields(HOST.strip(), "Transfer-Encoding: chunked", "Transfer-Encoding: gzip"), 400),
                bad("RFC 9112 §6.3 gzip alone", withFields(HOST.strip(), "Transfer-Encoding: gzip"), 400),
                bad("RFC 9112 §6.3 identity alone", withFields(HOST.strip(), "Transfer-Encoding: identity"), 400),
                bad("RFC 9112 §6.3 an empty Transfer-Encoding", withFields(HOST.strip(), "Transfer-Encoding:"), 400),
                bad("RFC 9112 §6.1 chunked, chunked", withFields(HOST.strip(), "Transfer-Encoding: chunked, chunked"), 400),
                bad("RFC 9112 §6.1 chunked in two fields",
                        withFields(HOST.strip(), "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"), 400),
                bad("RFC 9112 §6.1 chunked twice with gzip between",
                        withFields(HOST.strip(), "Transfer-Encoding: chunked, gzip, chunked"), 400),
                bad("RFC 9112 §6.1 Transfer-Encoding with Content-Length",
                        withFields(HOST.strip(), "Transfer-Encoding: chunked", "Content-Length: 5"), 400),
                bad("RFC 9112 §6.1 Content-Length with Transfer-Encoding",
                        withFields(HOST.strip(), "Content-Length: 5", "Transfer-Encoding: chunked"), 400),
                bad("RFC 9112 §6.1 Transfer-Encoding with Content-Length: 0",
                        withFields(HOST.strip(), "Content-Length: 0", "Transfer-Encoding: chunked"), 400),
                bad("RFC 9112 §6.1 Transfer-Encoding with Content-Length even when lenient", ALL_LENIENT,
                        withFields(HOST.strip(), "Transfer-Encoding: chunked", "Content-Length: 5"), 400),
                bad("RFC 9112 §6.1 Transfer-Encoding on HTTP/1.0",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                bad("RFC 9112 §6.1 Transfer-Encoding on HTTP/1.0 with Content-Length",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400),
                bad("RFC 9112 §7.1 chunked takes no parameters",
                        withFields(HOST.strip(), "Transfer-Encoding: chunked;q=1"), 400),
                bad("RFC 9112 §7.1 chunked takes no parameters, even empty",
                        withFields(HOST.strip(), "Transfer-Encoding: chunked;"), 400),
                bad("RFC 9110 §10.1.4 a malformed parameter", withFields(HOST.strip(), "Transfer-Encoding: gzip;, chunked"), 400),
                bad("RFC 9110 §5.6.1 codings need a comma between them",
                        withFields(HOST.strip(), "Transfer-Encoding: gzip chunked"), 400),
                bad("RFC 9110 §5.6.2 a coding is a token", withFields(HOST.strip(), "Transfer-Encoding: \"chunked\""), 400));
    }

    static Stream<Arguments> connection() {
        return Stream.of(
                ok("RFC 9112 §9.3 HTTP/1.1 persists by default", get("/"), Expect.get("/").keepAlive(true)),
                ok("RFC 9112 §9.6 Connection: close", withFields(HOST.strip(), "Connection: close"),
                        Expect.get("/").keepAlive(false)),
                ok("RFC 9110 §7.6.1 connection options are case-insensitive", withFields(HOST.strip(), "Connection: ClOsE"),
                        Expect.get("/").keepAlive(false)),
                ok("RFC 9110 §7.6.1 close inside a list", withFields(HOST.strip(), "Connection: foo, close"),
                        Expect.get("/").keepAlive(false)),
                ok("RFC 9110 §7.6.1 close first in a list", withFields(HOST.strip(), "Connection: close,upgrade"),
                        Expect.get("/").keepAlive(false)),
                ok("RFC 9110 §7.6.1 close in a second Connection field",
                        withFields(HOST.strip(), "Connection: foo", "Connection: close"),
                        Expect.get("/").keepAlive(false)),
                ok("RFC 9110 §7.6.1 'closed' is another option", withFields(HOST.strip(), "Connection: closed, x-close"),
                        Expect.get("/").keepAlive(true)),
                ok("RFC 9112 §9.3 keep-alive on HTTP/1.1", withFields(HOST.strip(), "Connection: keep-alive"),
                        Expect.get("/").keepAlive(true)),
                ok("RFC 9112 §9.3 close wins over keep-alive", withFields(HOST.strip(), "Connection: keep-alive, close"),
                        Expect.get("/").keepAlive(false)),
                ok("RFC 9112 §9.3 HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n",
                        Expect.get("/").http10().host(null).keepAlive(false)),
                ok("RFC 9112 §9.3 HTTP/1.0 with keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                        Expect.get("/").http10().host(null).keepAlive(true)),
                ok("RFC 9112 §9.3 HTTP/1.0 with Keep-Alive in a list", "GET / HTTP/1.0\r\nConnection: foo , Keep-Alive\r\n\r\n",
                        Expect.get("/").http10().host(null).keepAlive(true)),
                ok("RFC 9112 §9.3 HTTP/1.0 with keep-alive and close",
                        "GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
                        Expect.get("/").http10().host(null).keepAlive(false)),
                ok("RFC 9112 §9.3 HTTP/1.2 persists like HTTP/1.1", "GET / HTTP/1.2\r\n" + HOST + CRLF,
                        Expect.get("/").keepAlive(true)));
    }

    static Stream<Arguments> expect() {
        return Stream.of(
                ok("RFC 9110 §10.1.1 Expect: 100-continue", withFields(HOST.strip(), "Expect: 100-continue"),
                        Expect.get("/").expectContinue()),
                ok("RFC 9110 §10.1.1 the Expect value is case-insensitive", withFields(HOST.strip(), "expect: 100-CONTINUE"),
                        Expect.get("/").expectContinue()),
                ok("RFC 9110 §10.1.1 100-continue on HTTP/1.0 is ignored", "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
                        Expect.get("/").http10().host(null)),
                ok("RFC 9110 §10.1.1 another expectation on HTTP/1.0 is ignored (see report)",
                        "GET / HTTP/1.0\r\nExpect: foo\r\n\r\n", Expect.get("/").http10().host(null)),
                ok("RFC 9110 §10.1.1 an empty Expect is no expectation", withFields(HOST.strip(), "Expect:"),
                        Expect.get("/")),
                bad("RFC 9110 §10.1.1 another expectation gets 417", withFields(HOST.strip(), "Expect: foo"), 417),
                bad("RFC 9110 §10.1.1 100-continue with another expectation gets 417",
                        withFields(HOST.strip(), "Expect: 100-continue, foo"), 417),
                bad("RFC 9110 §10.1.1 '100-continuex' gets 417", withFields(HOST.strip(), "Expect: 100-continuex"), 417),
                bad("RFC 9110 §10.1.1 '100-continue=1' gets 417", withFields(HOST.strip(), "Expect: 100-continue=1"), 417));
    }

    static Stream<Arguments> limits() {
        String lineAtLimit = "GET /" + "a".repeat(18) + " HTTP/1.1";
        String headersAtLimit = "Host: h\r\nX: " + "v".repeat(48) + "\r\n\r\n";
        return Stream.of(
                ok("RFC 9112 §3 request line exactly at maxRequestLineBytes", SMALL, lineAtLimit + "\r\nHost: h\r\n\r\n",
                        Expect.get("/" + "a".repeat(18)).host("h")),
                ok("RFC 9112 §3 request line at the limit with bare LF", HttpConfig.builder().maxRequestLineBytes(32)
                        .allowBareLf(true).build(), lineAtLimit + "\nHost: h\n\n",
                        Expect.get("/" + "a".repeat(18)).host("h")),
                bad("RFC 9112 §3 request line one byte over gets 414", SMALL,
                        "GET /" + "a".repeat(19) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414),
                ok("RFC 6585 §5 header section exactly at maxHeaderBytes", SMALL, "GET / HTTP/1.1\r\n" + headersAtLimit,
                        Expect.get("/").host("h")),
                bad("RFC 6585 §5 header section one byte over (by its final empty line) gets 431", SMALL,
                        "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(49) + "\r\n\r\n", 431),
                bad("RFC 6585 §5 a field line passing the header section limit gets 431", SMALL,
                        "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(55) + "\r\n\r\n", 431),
                ok("RFC 6585 §5 maxHeaderCount fields", SMALL, withFields("Host: h", "A: 1", "B: 2"),
                        Expect.get("/").host("h").fields("Host", "h", "A", "1", "B", "2")),
                bad("RFC 6585 §5 one field over maxHeaderCount gets 431", SMALL,
                        withFields("Host: h", "A: 1", "B: 2", "C: 3"), 431),
                ok("RFC 9112 §2.2 empty lines before the request line up to the limit", SMALL,
                        "\r\n".repeat(16) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", Expect.get("/").host("h")),
                bad("RFC 9112 §2.2 too many empty lines before the request line", SMALL,
                        "\r\n".repeat(17) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                bad("RFC 9112 §2.2 an endless stream of empty lines", SMALL, "\r\n".repeat(200), 400),
                bad("RFC 9112 §2.2 an endless stream of LF with allowBareLf",
                        HttpConfig.builder().maxRequestLineBytes(32).allowBareLf(true).build(), "\n".repeat(200), 400));
    }

    // ---------------------------------------------------------------------------------------------
    // Limits reported before the head is complete
    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("RFC 9112 §3: 414 as soon as the request line passes the limit, without the rest of the head")
    void requestLineOverTheLimitIsReportedEarly() {
        String prefix = "GET /" + "a".repeat(28);

        Decoded decoded = decodeEveryWay(SMALL, prefix);

        assertThat(decoded.outcome()).isEqualTo(new Outcome(-414, null));
        assertThat(decoded.decidedAfter()).isEqualTo(33);
    }

    @Test
    @DisplayName("RFC 9112 §3: a request line prefix exactly at the limit needs more, even with its CR")
    void requestLineAtTheLimitNeedsMore() {
        assertThat(decodeEveryWay(SMALL, "GET /" + "a".repeat(27)).outcome())
                .isEqualTo(new Outcome(HeadDecoder.NEED_MORE, null));
        assertThat(decodeEveryWay(SMALL, "GET /" + "a".repeat(18) + " HTTP/1.1\r").outcome())
                .isEqualTo(new Outcome(HeadDecoder.NEED_MORE, null));
    }

    @Test
    @DisplayName("RFC 9112 §3: 414 early after empty lines, counting from the request line")
    void requestLineLimitCountsFromTheRequestLine() {
        Decoded decoded = decodeEveryWay(SMALL, "\r\n\r\nGET /" + "a".repeat(28) + "a");

        assertThat(decoded.outcome()).isEqualTo(new Outcome(-414, null));
        assertThat(decoded.decidedAfter()).isEqualTo(4 + 33);
    }

    @Test
    @DisplayName("RFC 6585 §5: 431 as soon as the header section passes the limit, without the rest of the head")
    void headerSectionOverTheLimitIsReportedEarly() {
        String prefix = "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(53);

        Decoded decoded = decodeEveryWay(SMALL, prefix);

        assertThat(decoded.outcome()).isEqualTo(new Outcome(-431, null));
        assertThat(decoded.decidedAfter()).isEqualTo(16 + 65);
    }

    @Test
    @DisplayName("RFC 6585 §5: a header section prefix exactly at the limit needs more")
    void headerSectionAtTheLimitNeedsMore() {
        Decoded decoded = decodeEveryWay(SMALL, "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(52));

        assertThat(decoded.outcome()).isEqualTo(new Outcome(HeadDecoder.NEED_MORE, null));
    }

    @Test
    @DisplayName("RFC 6585 §5: 431 for the field count when the line over the count ends, before the head does")
    void fieldCountOverTheLimitIsReportedEarly() {
        String prefix = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n";

        Decoded decoded = decodeEveryWay(SMALL, prefix);

        assertThat(decoded.outcome()).isEqualTo(new Outcome(-431, null));
        assertThat(decoded.decidedAfter()).isEqualTo(prefix.length());
    }

    @Test
    @DisplayName("RFC 9112 §2.2: endless empty lines are refused once they exceed the request line limit")
    void endlessEmptyLinesAreRefusedEarly() {
        Decoded decoded = decodeEveryWay(SMALL, "\r\n".repeat(200));

        assertThat(decoded.outcome()).isEqualTo(new Outcome(-400, null));
        assertThat(decoded.decidedAfter()).isLessThanOrEqualTo(34);
    }

    @Test
    @DisplayName("RFC 9112 §3: the request line limit is reported the same however the bytes are split")
    void requestLineOverTheLimitThenBareLf() {
        String request = "GET /" + "a".repeat(40) + "\nHost: h\r\n\r\n";

        assertThat(decodeEveryWay(SMALL, request).outcome()).isEqualTo(new Outcome(-414, null));
    }

    @Test
    @DisplayName("RFC 6585 §5: the header section limit is reported the same however the bytes are split")
    void headerSectionOverTheLimitThenBareCr() {
        String request = "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(60) + "\rz\r\n\r\n";

        assertThat(decodeEveryWay(SMALL, request).outcome()).isEqualTo(new Outcome(-431, null));
    }

    @Test
    @DisplayName("RFC 9112 §3.2: a request without Host gets 400 whatever its expectation")
    void missingHostWinsOverAnUnknownExpectation() {
        assertThat(decodeEveryWay(STRICT, "GET / HTTP/1.1\r\nExpect: foo\r\n\r\n").outcome())
                .isEqualTo(new Outcome(-400, null));
    }

    @Test
    @DisplayName("RFC 9112 §5.1: whitespace before a colon gets 400 even after an unknown expectation")
    void malformedFieldAfterAnUnknownExpectationGets400() {
        assertThat(decodeEveryWay(STRICT, withFields(HOST.strip(), "Expect: foo", "X : y")).outcome())
                .isEqualTo(new Outcome(-400, null));
    }

    @Test
    @DisplayName("RFC 9112 §6.3 with RFC 9110 §5.6.1: a lenient Content-Length list ignores empty elements")
    void lenientContentLengthListIgnoresEmptyElements() {
        String request = withFields(HOST.strip(), "Content-Length: 5, , 5,");

        Expect.get("/").contentLength(5).verify(request, decodeEveryWay(DUPLICATE_CL, request).outcome());
    }

    // ---------------------------------------------------------------------------------------------
    // Field lookup and reuse
    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("RFC 9110 §5.1/§5.3: field lookup ignores case and lists every value in order")
    void looksUpFieldsWithoutCase() {
        String request = withFields("Host: example.com", "X-Multi: one", "Accept: a/b", "x-multi: two",
                "X-MULTI:three", "Content-Type: text/plain");

        Decoded decoded = decodeEveryWay(STRICT, request, head -> Arrays.asList(
                head.header("x-multi"), head.headers("X-Multi"), head.header("ACCEPT"), head.headers("accept"),
                head.header("content-type"), head.header("missing"), head.headers("missing"), head.header("HOST"),
                head.header("X-Mult"), head.headerId(0), head.headerId(1), head.headerId(5)));

        Expect.get("/").verify(request, decoded.outcome());
        assertThat(decoded.outcome().head().probe()).isEqualTo(Arrays.asList(
                "one", List.of("one", "two", "three"), "a/b", List.of("a/b"), "text/plain", null, List.of(),
                "example.com", null, HeaderName.HOST, HeaderName.OTHER, HeaderName.CONTENT_TYPE));
    }

    @Test
    @DisplayName("RFC 9110 §5.3: multiple Accept fields are all kept")
    void keepsRepeatedKnownFields() {
        String request = withFields("Host: example.com", "Accept: a", "ACCEPT: b");

        Decoded decoded = decodeEveryWay(STRICT, request, head -> head.headers("Accept"));

        assertThat(decoded.outcome().head().probe()).isEqualTo(List.of("a", "b"));
    }

    @Test
    @DisplayName("a decoder and head reused after a complete head decode the next one from scratch")
    void reuseCarriesNothingOver() {
        HeadDecoder decoder = new HeadDecoder(STRICT);
        RequestHead head = new RequestHead(STRICT.maxHeaderCount());
        String first = "POST http://a/b?c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\n\r\n";
        String second = "\r\nGET /x HTTP/1.0\r\n\r\n";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = nativeBytes(arena, first + second);

            assertThat(decoder.decode(bytes, 0, first.length(), head)).isEqualTo(first.length());
            assertThat(head.isChunked()).isTrue();
            decoder.reset();
            assertThat(decoder.started()).isFalse();
            assertThat(decoder.decode(bytes, first.length(), 2, head)).isEqualTo(HeadDecoder.NEED_MORE);
            assertThat(decoder.started()).isFalse();
            assertThat(decoder.decode(bytes, first.length(), 3, head)).isEqualTo(HeadDecoder.NEED_MORE);
            assertThat(decoder.started()).isTrue();
            assertThat(decoder.decode(bytes, first.length(), second.length(), head)).isEqualTo(second.length());

            assertThat(head.toString()).isEqualTo("GET /x HTTP/1.0");
            assertThat(head.headerCount()).isZero();
            assertThat(head.host()).isNull();
            assertThat(head.query()).isNull();
            assertThat(head.targetForm()).isEqualTo(RequestHead.ORIGIN_FORM);
            assertThat(head.isChunked()).isFalse();
            assertThat(head.expectsContinue()).isFalse();
            assertThat(head.contentLength()).isEqualTo(-1);
            assertThat(head.keepAlive()).isFalse();
            assertThat(head.headLength()).isEqualTo(second.length());
        }
    }

    @Test
    @DisplayName("a decoder reset after an error decodes the next head")
    void resetAfterAnError() {
        HeadDecoder decoder = new HeadDecoder(STRICT);
        RequestHead head = new RequestHead(STRICT.maxHeaderCount());
        String bad = "GET / HTTP/1.1\r\nX : y\r\n\r\n";
        String good = get("/ok");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = nativeBytes(arena, bad + good);

            assertThat(decoder.decode(bytes, 0, bad.length(), head)).isEqualTo(-400);
            decoder.reset();

            assertThat(decoder.decode(bytes, bad.length(), good.length(), head)).isEqualTo(good.length());
            assertThat(head.path()).isEqualTo("/ok");
        }
    }

    @Test
    @DisplayName("a copy of the head stays readable after its bytes are gone")
    void copyOutlivesTheBytes() {
        RequestHead head = new RequestHead(8);
        String request = withFields("Host: example.com", "X: 1", "x: 2", "Content-Length: 3");
        RequestHead copy;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = nativeBytes(arena, request);
            assertThat(new HeadDecoder(STRICT).decode(bytes, 0, request.length(), head)).isEqualTo(request.length());
            copy = head.copy();
        }

        assertThat(copy.toString()).isEqualTo("GET / HTTP/1.1");
        assertThat(copy.headers("X")).containsExactly("1", "2");
        assertThat(copy.host()).isEqualTo("example.com");
        assertThat(copy.contentLength()).isEqualTo(3);
        assertThat(copy.keepAlive()).isTrue();
        assertThat(copy.header("content-length")).isEqualTo("3");
    }
}

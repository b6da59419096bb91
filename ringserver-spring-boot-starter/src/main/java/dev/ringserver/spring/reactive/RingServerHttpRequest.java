package dev.ringserver.spring.reactive;

import dev.ringserver.http.RequestHead;
import dev.ringserver.server.HttpExchange;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * A ringserver request as a WebFlux {@link org.springframework.http.server.reactive.ServerHttpRequest}.
 *
 * <p>Everything Spring reads from the head (method, URI, headers, addresses) is copied once, on the
 * event loop, when the request arrives: the core's head views die when {@code handle} returns. After
 * construction the object is immutable apart from the lazily built values of the base class, so any
 * thread may read it. The body is a {@link RequestBodyFlux}: single subscription, read on demand.
 */
final class RingServerHttpRequest extends AbstractServerHttpRequest {

    private final HttpExchange exchange;
    private final RequestBodyFlux body;
    private final @Nullable InetSocketAddress remoteAddress;
    private final @Nullable InetSocketAddress localAddress;
    private final int loopIndex;
    private final long sequence;

    /**
     * Copies the head; on the loop, during {@code handle}.
     *
     * @throws URISyntaxException when the target and Host do not form a URI (the caller answers 400)
     */
    RingServerHttpRequest(HttpExchange exchange, RequestBodyFlux body, @Nullable InetSocketAddress remoteAddress,
                          @Nullable InetSocketAddress localAddress, long sequence) throws URISyntaxException {
        this(exchange, exchange.request(), body, remoteAddress, localAddress, sequence);
    }

    private RingServerHttpRequest(HttpExchange exchange, RequestHead head, RequestBodyFlux body,
                                  @Nullable InetSocketAddress remoteAddress, @Nullable InetSocketAddress localAddress,
                                  long sequence) throws URISyntaxException {
        super(HttpMethod.valueOf(head.methodName()), createUri(head, localAddress), null, copyHeaders(head));
        this.exchange = exchange;
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        this.loopIndex = exchange.loop().index();
        this.sequence = sequence;
    }

    private static HttpHeaders copyHeaders(RequestHead head) {
        HttpHeaders headers = new HttpHeaders(); // case-insensitive names, insertion order kept
        for (int i = 0; i < head.headerCount(); i++) {
            headers.add(head.headerName(i), head.headerValue(i));
        }
        return headers;
    }

    /**
     * The absolute URI Spring routes on: {@code http://} plus the Host field (or the local address
     * when there is none) plus the target as received, for origin-form; the target itself for
     * absolute-form (RFC 9112 §3.2.2: its authority wins over Host). The target is not decoded here,
     * so {@code getRawPath()} and {@code getRawQuery()} keep the client's percent-encoding and Spring
     * decodes exactly once.
     */
    static URI createUri(RequestHead head, @Nullable InetSocketAddress localAddress) throws URISyntaxException {
        return createUri(head.targetForm(), head.target(), head.host(), localAddress);
    }

    static URI createUri(int targetForm, String target, @Nullable String host, @Nullable InetSocketAddress local)
            throws URISyntaxException {
        if (targetForm == RequestHead.ABSOLUTE_FORM) {
            return new URI(withPath(target));
        }
        StringBuilder uri = new StringBuilder(16 + target.length()).append("http://");
        appendAuthority(uri, host, local);
        if (targetForm == RequestHead.ORIGIN_FORM) {
            uri.append(target);
        } // authority-form (CONNECT) and asterisk-form (OPTIONS *) name no path: the URI has none
        return new URI(uri.toString());
    }

    /** {@code http://host} and {@code http://host?q} have an empty path, which HTTP reads as {@code /}. */
    private static String withPath(String absolute) {
        int authority = absolute.indexOf("://");
        if (authority < 0) {
            return absolute;
        }
        for (int i = authority + 3; i < absolute.length(); i++) {
            char c = absolute.charAt(i);
            if (c == '/') {
                return absolute;
            }
            if (c == '?' || c == '#') {
                return absolute.substring(0, i) + '/' + absolute.substring(i);
            }
        }
        return absolute + '/';
    }

    private static void appendAuthority(StringBuilder uri, @Nullable String host, @Nullable InetSocketAddress local)
            throws URISyntaxException {
        if (host != null && !host.isEmpty()) {
            checkHost(host);
            uri.append(host);
        } else if (local != null) {
            InetAddress address = local.getAddress();
            String literal = address != null ? address.getHostAddress() : local.getHostString();
            int scope = literal.indexOf('%'); // a zone id would need %25 in a URI; it means nothing to a route
            if (scope >= 0) {
                literal = literal.substring(0, scope);
            }
            boolean ipv6 = literal.indexOf(':') >= 0;
            uri.append(ipv6 ? "[" : "").append(literal).append(ipv6 ? "]:" : ":").append(local.getPort());
        } else {
            uri.append("localhost");
        }
    }

    /**
     * Host is {@code uri-host [":" port]}: a reg-name, an IPv4 address or a bracketed IP literal. Anything
     * else (a path, userinfo, spaces) would change what the URI means, so it is refused (400).
     */
    private static void checkHost(String host) throws URISyntaxException {
        boolean literal = host.charAt(0) == '[';
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '%'
                    || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*'
                    || c == '+' || c == ',' || c == ';' || c == '='
                    || (literal && (c == '[' || c == ']'));
            if (!allowed) {
                throw new URISyntaxException(host, "invalid character in the Host field", i);
            }
        }
    }

    @Override
    protected MultiValueMap<String, HttpCookie> initCookies() {
        MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
        List<String> fields = getHeaders().get(HttpHeaders.COOKIE);
        if (fields != null) {
            for (String field : fields) {
                parseCookies(field, cookies);
            }
        }
        return cookies;
    }

    /**
     * RFC 6265 §5.4 {@code cookie-string}: pairs separated by {@code ;}, each {@code name=value}, a
     * value possibly in double quotes. Lenient like browsers: blank pairs and pairs without a name are
     * skipped rather than failing the request.
     */
    static void parseCookies(String field, MultiValueMap<String, HttpCookie> cookies) {
        int start = 0;
        while (start < field.length()) {
            int end = field.indexOf(';', start);
            if (end < 0) {
                end = field.length();
            }
            int equals = field.indexOf('=', start);
            if (equals > start && equals < end) {
                String name = field.substring(start, equals).trim();
                String value = field.substring(equals + 1, end).trim();
                if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                    value = value.substring(1, value.length() - 1);
                }
                if (!name.isEmpty()) {
                    cookies.add(name, new HttpCookie(name, value));
                }
            }
            start = end + 1;
        }
    }

    @Override
    protected @Nullable SslInfo initSslInfo() {
        return null; // ringserver serves plain HTTP; the factory refuses server.ssl
    }

    @Override
    public @Nullable InetSocketAddress getRemoteAddress() {
        return remoteAddress;
    }

    /**
     * The server's listening address: its port is the one the connection came in on; its host is the
     * wildcard address when the server listens on all interfaces (the core does not report each
     * connection's own local address yet).
     */
    @Override
    public @Nullable InetSocketAddress getLocalAddress() {
        return localAddress;
    }

    /** {@code <loop>-<sequence>}: unique within the server, made only when asked for (logging does). */
    @Override
    protected String initId() {
        return loopIndex + "-" + sequence;
    }

    @Override
    public Flux<DataBuffer> getBody() {
        return body;
    }

    /**
     * The core {@link HttpExchange}. It is reused for the connection's next request once the response
     * has ended, and its request head is valid only during {@code handle}: use it on the loop, while
     * the exchange is active.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getNativeRequest() {
        return (T) exchange;
    }
}

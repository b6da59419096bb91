package dev.ringserver.spring.reactive;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.Compression;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.zip.Deflater;

/**
 * Gzip-compresses responses for {@code server.compression.*}, around any WebFlux {@link HttpHandler}.
 *
 * <p>A response is compressed when all of these hold:
 * <ul>
 *   <li>the request is not HEAD, its {@code Accept-Encoding} accepts {@code gzip} (or {@code x-gzip},
 *       or {@code *}) with a q-value above 0, and its {@code User-Agent} is not excluded (an entry
 *       matches the whole agent, ignoring case, or as a regular expression);</li>
 *   <li>the response's status may have a body (not 1xx, 204 or 304), it has no
 *       {@code Content-Encoding} and no {@code Content-Range} yet, and its {@code Content-Type}
 *       (parameters ignored) is one of {@link Compression#getAllMimeTypes()} (wildcards allowed);</li>
 *   <li>its body is at least {@link Compression#getMinResponseSize()}: a known {@code Content-Length}
 *       decides at once; without one, up to that many bytes (never more than
 *       {@value GzipServerHttpResponse#PROBE_LIMIT}, the bound of what is held) are buffered before
 *       deciding. A streamed body ({@code writeAndFlushWith}, e.g. server-sent events) is not held
 *       back: it is compressed when the type matches, each part flushed as it completes.</li>
 * </ul>
 * A compressed response gets {@code Content-Encoding: gzip} and {@code Vary: Accept-Encoding}, loses
 * its {@code Content-Length} (a single-buffer body gets the compressed one) and has a strong ETag
 * weakened.
 *
 * <p>Thread-safe and immutable; the per-response state lives in the response decorator.
 */
public final class GzipCompressingHttpHandler implements HttpHandler {

    private final HttpHandler delegate;
    private final List<MimeType> mimeTypes = new ArrayList<>();
    private final List<Pattern> excludedAgentPatterns = new ArrayList<>();
    private final List<String> excludedAgents = new ArrayList<>();
    private final long minResponseSize;

    public GzipCompressingHttpHandler(HttpHandler delegate, Compression compression) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        for (String type : compression.getAllMimeTypes()) {
            MimeType parsed = MimeTypeUtils.parseMimeType(type);
            mimeTypes.add(new MimeType(parsed.getType(), parsed.getSubtype()));
        }
        String[] agents = compression.getExcludedUserAgents();
        if (agents != null) {
            for (String agent : agents) {
                excludedAgents.add(agent);
                try {
                    excludedAgentPatterns.add(Pattern.compile(agent));
                } catch (PatternSyntaxException literalOnly) {
                    // not a regular expression: compared as text only
                }
            }
        }
        this.minResponseSize = compression.getMinResponseSize().toBytes();
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        HttpHeaders headers = request.getHeaders();
        if (HttpMethod.HEAD.equals(request.getMethod()) || !acceptsGzip(headers.get(HttpHeaders.ACCEPT_ENCODING))
                || isExcludedAgent(headers.getFirst(HttpHeaders.USER_AGENT))) {
            return delegate.handle(request, response);
        }
        return delegate.handle(request, new GzipServerHttpResponse(response, this));
    }

    long minResponseSize() {
        return minResponseSize;
    }

    /** A new encoder for one response body. */
    GzipEncoder encoder(DataBufferFactory bufferFactory) {
        return new GzipEncoder(bufferFactory, Deflater.DEFAULT_COMPRESSION);
    }

    /** Whether the response as it stands (status, headers) may be compressed; its length aside. */
    boolean isCompressible(ServerHttpResponse response) {
        HttpStatusCode status = response.getStatusCode();
        int code = status != null ? status.value() : 200;
        if (code < 200 || code == 204 || code == 304) {
            return false;
        }
        HttpHeaders headers = response.getHeaders();
        if (headers.containsHeader(HttpHeaders.CONTENT_ENCODING) || headers.containsHeader(HttpHeaders.CONTENT_RANGE)) {
            return false; // already encoded, or a range of the identity body
        }
        MediaType type;
        try {
            type = headers.getContentType();
        } catch (InvalidMediaTypeException unreadable) {
            return false;
        }
        if (type == null) {
            return false;
        }
        for (MimeType candidate : mimeTypes) {
            if (candidate.includes(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 9110 §12.5.3: gzip is acceptable when listed (as {@code gzip} or {@code x-gzip}) with a
     * q-value above 0, or when not listed and {@code *} is, with a q-value above 0.
     */
    static boolean acceptsGzip(@Nullable List<String> fields) {
        if (fields == null) {
            return false;
        }
        double gzip = -1;
        double any = -1;
        for (String field : fields) {
            for (String element : field.split(",")) {
                int semicolon = element.indexOf(';');
                String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
                double q = semicolon < 0 ? 1 : qValue(element.substring(semicolon + 1));
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    gzip = Math.max(gzip, q);
                } else if (coding.equals("*")) {
                    any = Math.max(any, q);
                }
            }
        }
        return gzip >= 0 ? gzip > 0 : any > 0;
    }

    private static double qValue(String parameters) {
        for (String parameter : parameters.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.length() > 2 && (trimmed.charAt(0) == 'q' || trimmed.charAt(0) == 'Q') && trimmed.charAt(1) == '=') {
                try {
                    return Double.parseDouble(trimmed.substring(2));
                } catch (NumberFormatException unreadable) {
                    return 0; // not acceptable rather than guessed
                }
            }
        }
        return 1;
    }

    boolean isExcludedAgent(@Nullable String userAgent) {
        if (userAgent == null) {
            return false;
        }
        for (String agent : excludedAgents) {
            if (agent.equalsIgnoreCase(userAgent)) {
                return true;
            }
        }
        for (Pattern pattern : excludedAgentPatterns) {
            if (pattern.matcher(userAgent).matches()) {
                return true;
            }
        }
        return false;
    }
}

package dev.ringserver.spring.reactive;

import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.Compression;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Mono;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GzipCompressingHttpHandlerTest {

    private static final HttpHandler NOTHING = (request, response) -> Mono.empty();

    @Test
    void readsAcceptEncodingWithQValues() {
        assertThat(GzipCompressingHttpHandler.acceptsGzip(null)).isFalse();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("gzip"))).isTrue();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("GZIP"))).isTrue();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("x-gzip"))).isTrue();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("deflate, br"))).isFalse();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("br", "gzip;q=0.3"))).isTrue();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("gzip;q=0"))).isFalse();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("gzip; q=0.000"))).isFalse();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("*"))).isTrue();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("*;q=0"))).isFalse();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("*, gzip;q=0"))).as("explicit beats *").isFalse();
        assertThat(GzipCompressingHttpHandler.acceptsGzip(List.of("gzip;q=junk"))).isFalse();
    }

    @Test
    void matchesExcludedAgentsAsTextOrPattern() {
        Compression compression = new Compression();
        compression.setExcludedUserAgents(new String[] {"Old Agent (1.0)", "Bot.*"});
        GzipCompressingHttpHandler handler = new GzipCompressingHttpHandler(NOTHING, compression);
        assertThat(handler.isExcludedAgent("old agent (1.0)")).isTrue();
        assertThat(handler.isExcludedAgent("BotX 2")).isTrue();
        assertThat(handler.isExcludedAgent("Mozilla/5.0")).isFalse();
        assertThat(handler.isExcludedAgent(null)).isFalse();
    }

    @Test
    void judgesTheResponseByStatusEncodingRangeAndType() {
        Compression compression = new Compression();
        compression.setMimeTypes(new String[] {"text/*", "application/json"});
        GzipCompressingHttpHandler handler = new GzipCompressingHttpHandler(NOTHING, compression);
        assertThat(handler.isCompressible(response(MediaType.valueOf("text/html;charset=UTF-8"), HttpStatus.OK))).isTrue();
        assertThat(handler.isCompressible(response(MediaType.APPLICATION_JSON, HttpStatus.NOT_FOUND))).isTrue();
        assertThat(handler.isCompressible(response(MediaType.IMAGE_PNG, HttpStatus.OK))).isFalse();
        assertThat(handler.isCompressible(response(null, HttpStatus.OK))).isFalse();
        assertThat(handler.isCompressible(response(MediaType.TEXT_PLAIN, HttpStatus.NO_CONTENT))).isFalse();
        assertThat(handler.isCompressible(response(MediaType.TEXT_PLAIN, HttpStatus.NOT_MODIFIED))).isFalse();
        MockServerHttpResponse encoded = response(MediaType.TEXT_PLAIN, HttpStatus.OK);
        encoded.getHeaders().set("Content-Encoding", "br");
        assertThat(handler.isCompressible(encoded)).isFalse();
        MockServerHttpResponse range = response(MediaType.TEXT_PLAIN, HttpStatus.PARTIAL_CONTENT);
        range.getHeaders().set("Content-Range", "bytes 0-9/100");
        assertThat(handler.isCompressible(range)).isFalse();
    }

    private static MockServerHttpResponse response(MediaType type, HttpStatus status) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        response.setStatusCode(status);
        if (type != null) {
            response.getHeaders().setContentType(type);
        }
        return response;
    }
}

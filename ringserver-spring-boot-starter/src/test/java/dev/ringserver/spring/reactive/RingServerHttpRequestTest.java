package dev.ringserver.spring.reactive;

import dev.ringserver.http.RequestHead;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpCookie;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingServerHttpRequestTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    @Test
    void joinsHostAndAnOriginFormTargetWithoutDecoding() throws URISyntaxException {
        URI uri = origin("/a%2Fb/c?x=%25&y=a+b", "example.com:8443");
        assertThat(uri.toString()).isEqualTo("http://example.com:8443/a%2Fb/c?x=%25&y=a+b");
        assertThat(uri.getRawPath()).isEqualTo("/a%2Fb/c");
        assertThat(uri.getRawQuery()).isEqualTo("x=%25&y=a+b");
        assertThat(uri.getPort()).isEqualTo(8443);
    }

    @Test
    void keepsBracketedIpv6Hosts() throws URISyntaxException {
        URI uri = origin("/", "[2001:db8::1]:8080");
        assertThat(uri.getHost()).isEqualTo("[2001:db8::1]");
        assertThat(uri.getPort()).isEqualTo(8080);
    }

    @Test
    void usesTheLocalAddressWhenThereIsNoHost() throws URISyntaxException {
        assertThat(origin("/x", null).toString()).isEqualTo("http://127.0.0.1:8080/x");
        assertThat(RingServerHttpRequest.createUri(RequestHead.ORIGIN_FORM, "/x", "",
                new InetSocketAddress("::1", 9000)).toString()).isEqualTo("http://[0:0:0:0:0:0:0:1]:9000/x");
    }

    @Test
    void takesAnAbsoluteFormTargetAsItIs() throws URISyntaxException {
        assertThat(absolute("http://proxy.example:81/p?q=1").toString()).isEqualTo("http://proxy.example:81/p?q=1");
        assertThat(absolute("http://proxy.example").getRawPath()).isEqualTo("/");
        assertThat(absolute("http://proxy.example?q=1").toString()).isEqualTo("http://proxy.example/?q=1");
    }

    @Test
    void givesAsteriskAndAuthorityFormsNoPath() throws URISyntaxException {
        URI uri = RingServerHttpRequest.createUri(RequestHead.ASTERISK_FORM, "*", "example.com", LOCAL);
        assertThat(uri.toString()).isEqualTo("http://example.com");
    }

    @Test
    void refusesHostsThatAreNotAnAuthority() {
        for (String host : new String[] {"example.com/path", "user@example.com", "a b", "example.com#x", "exa\"mple"}) {
            assertThatThrownBy(() -> origin("/", host)).as(host).isInstanceOf(URISyntaxException.class);
        }
    }

    @Test
    void parsesCookiePairsLeniently() {
        MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
        RingServerHttpRequest.parseCookies("a=1; b=\"two\";c=; =nameless; flag; d=x=y", cookies);
        RingServerHttpRequest.parseCookies("a=3", cookies);
        assertThat(cookies.keySet()).containsExactly("a", "b", "c", "d");
        assertThat(cookies.get("a")).extracting(HttpCookie::getValue).containsExactly("1", "3");
        assertThat(cookies.getFirst("b").getValue()).isEqualTo("two");
        assertThat(cookies.getFirst("c").getValue()).isEmpty();
        assertThat(cookies.getFirst("d").getValue()).isEqualTo("x=y");
    }

    private static URI origin(String target, String host) throws URISyntaxException {
        return RingServerHttpRequest.createUri(RequestHead.ORIGIN_FORM, target, host, LOCAL);
    }

    private static URI absolute(String target) throws URISyntaxException {
        return RingServerHttpRequest.createUri(RequestHead.ABSOLUTE_FORM, target, "ignored", LOCAL);
    }
}

package dev.ringserver.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class SocketAddressesTest {

    @Test
    void formatsIpv4AsHostColonPort() throws UnknownHostException {
        assertThat(SocketAddresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80)))
                .isEqualTo("127.0.0.1:80");
    }

    @Test
    void formatsIpv6LoopbackCompressed() throws UnknownHostException {
        assertThat(SocketAddresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 80)))
                .isEqualTo("[::1]:80");
    }

    @Test
    void formatsIpv6InBracketsWithoutZone() throws UnknownHostException {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        String formatted = SocketAddresses.format(new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 5), 80));
        assertThat(formatted).isEqualTo("[fe80::1]:80");
    }

    @Test
    void formatsUnresolvedAddressByHostName() {
        assertThat(SocketAddresses.format(InetSocketAddress.createUnresolved("example.test", 8080)))
                .isEqualTo("example.test:8080");
    }

    @ParameterizedTest
    @CsvSource({
            "::, ::",
            "::1, ::1",
            "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:1, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
            "fe80:0:0:0:0:0:0:0, fe80::",
            "0:0:0:0:0:0:0:1, ::1"
    })
    void compressesIpv6AsRfc5952Says(String input, String expected) throws UnknownHostException {
        assertThat(SocketAddresses.compress(InetAddress.getByName(input).getAddress())).isEqualTo(expected);
    }
}

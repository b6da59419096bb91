package dev.ringserver.sys.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinuxSockAddrTest {

    private static final byte[] LINK_LOCAL = {
            (byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    @Test
    void writesIpv4InKernelLayout() throws UnknownHostException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = storage(arena);
            InetSocketAddress address = new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {10, 1, 2, (byte) 200}), 0x1F90);

            int length = LinuxSockAddr.write(address, dst);

            assertThat(length).isEqualTo(16);
            assertThat(dst.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE)).containsExactly(
                    2, 0, 0x1F, (byte) 0x90, 10, 1, 2, (byte) 200, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void writesIpv6InKernelLayout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = storage(arena);
            InetSocketAddress address = new InetSocketAddress(scopedLinkLocal(7), 443);

            int length = LinuxSockAddr.write(address, dst);

            assertThat(length).isEqualTo(28);
            assertThat(dst.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) LinuxAbi.AF_INET6);
            assertThat(dst.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 0x01);
            assertThat(dst.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 0xBB);
            assertThat(dst.get(ValueLayout.JAVA_INT, 4)).isZero();
            assertThat(dst.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE)).containsExactly(LINK_LOCAL);
            assertThat(dst.get(ValueLayout.JAVA_INT, 24)).isEqualTo(7);
        }
    }

    @Test
    void clearsStaleBytesBeforeWriting() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = storage(arena);
            dst.fill((byte) 0xFF);

            LinuxSockAddr.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), dst);

            assertThat(dst.asSlice(8, LinuxAbi.SOCKADDR_STORAGE_SIZE - 8).toArray(ValueLayout.JAVA_BYTE))
                    .containsOnly(0);
        }
    }

    @Test
    void roundTripsIpv4Loopback() throws UnknownHostException {
        assertRoundTrip(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
    }

    @Test
    void roundTripsIpv4Wildcard() throws UnknownHostException {
        InetSocketAddress read = assertRoundTrip(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 1));

        assertThat(read.getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(read.getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void roundTripsPortsAbove32767() throws UnknownHostException {
        assertRoundTrip(new InetSocketAddress(InetAddress.getByName("192.168.1.1"), 65535));
        assertRoundTrip(new InetSocketAddress(InetAddress.getByName("192.168.1.1"), 32768));
    }

    @Test
    void roundTripsIpv6Loopback() throws UnknownHostException {
        InetSocketAddress read = assertRoundTrip(new InetSocketAddress(InetAddress.getByName("::1"), 8443));

        assertThat(read.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(read.getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void roundTripsIpv6Wildcard() throws UnknownHostException {
        InetSocketAddress read = assertRoundTrip(new InetSocketAddress(InetAddress.getByName("::"), 9000));

        assertThat(read.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(read.getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void roundTripsScopedLinkLocalWithScopeId() {
        InetSocketAddress read = assertRoundTrip(new InetSocketAddress(scopedLinkLocal(3), 80));

        assertThat(((Inet6Address) read.getAddress()).getScopeId()).isEqualTo(3);
        assertThat(read.getAddress().isLinkLocalAddress()).isTrue();
    }

    @Test
    void readsUnscopedIpv6WithoutZone() throws UnknownHostException {
        InetSocketAddress read = assertRoundTrip(new InetSocketAddress(InetAddress.getByName("::1"), 80));

        assertThat(read.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void rejectsUnresolvedAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = storage(arena);
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("ringserver.invalid", 80);

            assertThatThrownBy(() -> LinuxSockAddr.write(unresolved, dst))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ringserver.invalid");
        }
    }

    @Test
    void rejectsUnknownFamilyOnRead() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = storage(arena);
            src.set(ValueLayout.JAVA_SHORT, 0, (short) 1);

            assertThatThrownBy(() -> LinuxSockAddr.read(src))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("family 1");
        }
    }

    @Test
    void familyFollowsAddressType() throws UnknownHostException {
        assertThat(LinuxSockAddr.family(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1)))
                .isEqualTo(LinuxAbi.AF_INET);
        assertThat(LinuxSockAddr.family(new InetSocketAddress(InetAddress.getByName("::1"), 1)))
                .isEqualTo(LinuxAbi.AF_INET6);
    }

    private static InetSocketAddress assertRoundTrip(InetSocketAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = storage(arena);
            LinuxSockAddr.write(address, segment);

            InetSocketAddress read = LinuxSockAddr.read(segment);

            assertThat(read.getPort()).isEqualTo(address.getPort());
            assertThat(read.getAddress().getAddress()).containsExactly(address.getAddress().getAddress());
            assertThat(read.getAddress().getClass()).isEqualTo(address.getAddress().getClass());
            return read;
        }
    }

    private static MemorySegment storage(Arena arena) {
        return arena.allocate(LinuxAbi.SOCKADDR_STORAGE_SIZE, 8);
    }

    private static Inet6Address scopedLinkLocal(int scopeId) {
        try {
            return Inet6Address.getByAddress(null, LINK_LOCAL, scopeId);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.ringserver.sys.darwin;

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

/** The BSD sockaddr layout, with {@code sin_len}; pure Java, so it runs on every OS. */
class DarwinSockAddrTest {

    private static final byte[] LINK_LOCAL = {
            (byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    @Test
    void writesIpv4WithLengthByteAndOneByteFamily() throws UnknownHostException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = storage(arena);
            InetSocketAddress address = new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {10, 1, 2, (byte) 200}), 0x1F90);

            int length = DarwinSockAddr.write(address, dst);

            assertThat(length).isEqualTo(16);
            assertThat(dst.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE)).containsExactly(
                    16, 2, 0x1F, (byte) 0x90, 10, 1, 2, (byte) 200, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void writesIpv6WithLengthByteAndFamily30() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = storage(arena);

            int length = DarwinSockAddr.write(new InetSocketAddress(scopedLinkLocal(7), 443), dst);

            assertThat(length).isEqualTo(28);
            assertThat(dst.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 28);
            assertThat(dst.get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 30);
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

            DarwinSockAddr.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), dst);

            assertThat(dst.asSlice(8, DarwinAbi.SOCKADDR_STORAGE_SIZE - 8).toArray(ValueLayout.JAVA_BYTE))
                    .containsOnly(0);
        }
    }

    @Test
    void roundTripsIpv4AndIpv6() throws UnknownHostException {
        InetSocketAddress v4 = assertRoundTrip(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 65535));
        InetSocketAddress any = assertRoundTrip(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 32768));
        InetSocketAddress v6 = assertRoundTrip(new InetSocketAddress(InetAddress.getByName("::1"), 8443));

        assertThat(v4.getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(any.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(v6.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void roundTripsScopedLinkLocalWithScopeId() {
        InetSocketAddress read = assertRoundTrip(new InetSocketAddress(scopedLinkLocal(3), 80));

        assertThat(((Inet6Address) read.getAddress()).getScopeId()).isEqualTo(3);
    }

    @Test
    void readsTheFamilyFromTheSecondByte() throws UnknownHostException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = storage(arena);
            // A Linux-style sockaddr_in (family 2 as a little-endian short) must not pass as Darwin's:
            // byte 1 is 0, not AF_INET.
            src.set(ValueLayout.JAVA_BYTE, 0, (byte) 2);

            assertThatThrownBy(() -> DarwinSockAddr.read(src))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("family 0");

            DarwinSockAddr.write(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 1), src);
            assertThat(DarwinSockAddr.read(src).getAddress().getHostAddress()).isEqualTo("10.0.0.1");
        }
    }

    @Test
    void rejectsUnresolvedAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = storage(arena);
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("ringserver.invalid", 80);

            assertThatThrownBy(() -> DarwinSockAddr.write(unresolved, dst))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ringserver.invalid");
        }
    }

    @Test
    void familyFollowsAddressType() throws UnknownHostException {
        assertThat(DarwinSockAddr.family(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1)))
                .isEqualTo(DarwinAbi.AF_INET);
        assertThat(DarwinSockAddr.family(new InetSocketAddress(InetAddress.getByName("::1"), 1)))
                .isEqualTo(DarwinAbi.AF_INET6);
    }

    private static InetSocketAddress assertRoundTrip(InetSocketAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = storage(arena);
            DarwinSockAddr.write(address, segment);

            InetSocketAddress read = DarwinSockAddr.read(segment);

            assertThat(read.getPort()).isEqualTo(address.getPort());
            assertThat(read.getAddress().getAddress()).containsExactly(address.getAddress().getAddress());
            return read;
        }
    }

    private static MemorySegment storage(Arena arena) {
        return arena.allocate(DarwinAbi.SOCKADDR_STORAGE_SIZE, 8);
    }

    private static Inet6Address scopedLinkLocal(int scopeId) {
        try {
            return Inet6Address.getByAddress(null, LINK_LOCAL, scopeId);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.ringserver.sys.darwin;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * Converts between {@link InetSocketAddress} and Darwin {@code sockaddr_in}/{@code sockaddr_in6}:
 * unlike Linux, the struct starts with its own length ({@code sin_len}) and a one-byte family, then the
 * port in network order. Pure Java, no native calls, so it is tested on every OS. Thread-safe:
 * stateless.
 */
public final class DarwinSockAddr {

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IN_LENGTH = (int) DarwinAbi.SOCKADDR_IN.byteSize();
    private static final int IN6_LENGTH = (int) DarwinAbi.SOCKADDR_IN6.byteSize();

    private DarwinSockAddr() {
    }

    /**
     * Writes {@code address} into {@code dst} (at least {@link DarwinAbi#SOCKADDR_STORAGE_SIZE} bytes)
     * and returns the length to pass as {@code socklen_t}, which equals the {@code sin_len} written.
     *
     * @throws IllegalArgumentException for an unresolved address
     */
    public static int write(InetSocketAddress address, MemorySegment dst) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        dst.fill((byte) 0);
        if (ip instanceof Inet4Address) {
            dst.set(ValueLayout.JAVA_BYTE, 0, (byte) IN_LENGTH);
            dst.set(ValueLayout.JAVA_BYTE, 1, (byte) DarwinAbi.AF_INET);
            dst.set(PORT, 2, (short) address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, 4, 4);
            return IN_LENGTH;
        }
        Inet6Address ip6 = (Inet6Address) ip;
        dst.set(ValueLayout.JAVA_BYTE, 0, (byte) IN6_LENGTH);
        dst.set(ValueLayout.JAVA_BYTE, 1, (byte) DarwinAbi.AF_INET6);
        dst.set(PORT, 2, (short) address.getPort());
        MemorySegment.copy(ip6.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, 8, 16);
        dst.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ip6.getScopeId());
        return IN6_LENGTH;
    }

    /** Reads a {@code sockaddr_in} or {@code sockaddr_in6} stored by the kernel. */
    public static InetSocketAddress read(MemorySegment src) {
        int family = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, 1));
        int port = Short.toUnsignedInt(src.get(PORT, 2));
        try {
            if (family == DarwinAbi.AF_INET) {
                byte[] ip = new byte[4];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 4, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == DarwinAbi.AF_INET6) {
                byte[] ip = new byte[16];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 8, ip, 0, 16);
                int scope = src.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
                // An IPv4 peer of a dual-stack listener arrives as ::ffff:a.b.c.d; getByAddress turns it
                // into an Inet4Address, as the JDK's own sockets report it. Scope 0 means no scope.
                InetAddress address = scope == 0 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope);
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel returned a malformed address", e);
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }

    /** {@link DarwinAbi#AF_INET} or {@link DarwinAbi#AF_INET6} for {@code address}. */
    public static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? DarwinAbi.AF_INET6 : DarwinAbi.AF_INET;
    }
}

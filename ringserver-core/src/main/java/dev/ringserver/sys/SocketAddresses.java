package dev.ringserver.sys;

import java.net.InetSocketAddress;

/** Formats socket addresses for messages and log lines. Thread-safe: stateless. */
public final class SocketAddresses {

    private SocketAddresses() {
    }

    /** {@code host:port}, with IPv6 hosts in brackets and without a zone suffix. */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}

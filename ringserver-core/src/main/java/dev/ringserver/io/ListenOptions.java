package dev.ringserver.io;

/**
 * How a listening socket is opened.
 *
 * @param backlog   the accept queue length requested from the kernel (capped by
 *                  {@code net.core.somaxconn} on Linux)
 * @param reusePort {@code SO_REUSEPORT}: several listeners share the port and the kernel spreads new
 *                  connections across them (one listener per event loop)
 */
public record ListenOptions(int backlog, boolean reusePort) {

    public ListenOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
    }
}

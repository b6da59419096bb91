package dev.ringserver.spring.reactive;

import java.io.IOException;

/**
 * The exchange ended without a complete response: the client disconnected, a timeout fired or the
 * connection failed. Writes and body reads of an aborted exchange fail with it.
 *
 * <p>The simple class name is the one Spring's {@code DisconnectedClientHelper} (and Reactor Netty)
 * use for this situation, so {@code HttpWebHandlerAdapter} logs it as a gone client at DEBUG instead
 * of as a server error.
 */
public final class AbortedException extends IOException {

    public AbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}

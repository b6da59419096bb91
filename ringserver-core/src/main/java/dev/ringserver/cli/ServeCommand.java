package dev.ringserver.cli;

import dev.ringserver.server.HttpHandler;

import java.nio.file.Path;

/**
 * {@code serve DIR}: the files under a directory, through the static file handler of
 * {@code dev.ringserver.files}. That package is not part of this build yet, so {@link #staticFiles}
 * refuses, and the command line says so before any socket is opened.
 */
public final class ServeCommand {

    /** What {@code serve} answers while the file handler is not part of the build. */
    static final String UNAVAILABLE = "serve needs dev.ringserver.files (not built yet)";

    private ServeCommand() {
    }

    /**
     * The handler that serves {@code root} as {@code options} say.
     *
     * @param root an existing, readable directory (absolute)
     * @throws UnsupportedOperationException while {@code dev.ringserver.files} is not part of the build
     */
    static HttpHandler staticFiles(Path root, ServeOptions options) {
        throw new UnsupportedOperationException(UNAVAILABLE);
    }
}

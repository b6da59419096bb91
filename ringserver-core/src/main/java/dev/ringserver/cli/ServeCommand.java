package dev.ringserver.cli;

import dev.ringserver.files.StaticFileHandler;
import dev.ringserver.files.StaticFilesConfig;

import java.nio.file.Path;

/**
 * {@code serve DIR}: the files under a directory, through {@link StaticFileHandler}, for the whole URL
 * space. The handler owns a small executor and a cache of open descriptors: close it after the server
 * has stopped.
 */
public final class ServeCommand {

    private ServeCommand() {
    }

    /**
     * The handler that serves {@code root} as {@code options} say.
     *
     * @param root an existing, readable directory (absolute)
     * @throws IllegalArgumentException when the directory cannot be served (the message says why)
     */
    static StaticFileHandler staticFiles(Path root, ServeOptions options) {
        StaticFilesConfig.Builder config = StaticFilesConfig.builder(root)
                .urlPrefix("/")
                .indexFile(options.index())
                .precompressed(options.precompressed());
        if (options.cacheControl() != null) {
            config.cacheControl(options.cacheControl());
        }
        return new StaticFileHandler(config.build());
    }
}

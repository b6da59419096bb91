package dev.ringserver.cli;

import java.util.Objects;

/**
 * How {@code serve DIR} serves the directory, besides the server options every mode shares.
 *
 * @param cacheControl  the {@code Cache-Control} value for every file, or null for the file handler's
 *                      default
 * @param precompressed whether a client that accepts it gets {@code FILE.br} or {@code FILE.gz} in
 *                      place of {@code FILE} when that exists ({@code --no-precompressed} turns it off)
 * @param index         the file answered for a directory
 */
public record ServeOptions(String cacheControl, boolean precompressed, String index) {

    /** The defaults: the handler's caching, precompressed variants on, {@code index.html}. */
    public static final ServeOptions DEFAULT = new ServeOptions(null, true, "index.html");

    public ServeOptions {
        Objects.requireNonNull(index, "index");
    }
}

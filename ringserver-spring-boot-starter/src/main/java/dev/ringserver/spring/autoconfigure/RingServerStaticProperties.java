package dev.ringserver.spring.autoconfigure;

import dev.ringserver.files.StaticFilesConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Directories ringserver serves itself, under {@code ringserver.static.*}, before a request reaches
 * Spring: each location maps a URL prefix to a directory, with conditional and range requests,
 * precompressed siblings and sendfile (see {@link dev.ringserver.files.StaticFileHandler}). Requests
 * outside every prefix, and methods other than GET and HEAD, go on to the application. Spring's own
 * {@code spring.web.resources.*} keep working for everything else.
 *
 * <p>Not thread-safe: bound once, then read.
 */
@ConfigurationProperties("ringserver.static")
public class RingServerStaticProperties {

    /** URL prefixes and the directories ringserver serves for them, tried in order. */
    private List<Location> locations = new ArrayList<>();

    /** Cache-Control value sent with every file (for example "max-age=3600"); none when empty. */
    private String cacheControl;

    /** Whether to serve a ".br" or ".gz" sibling when the client accepts that encoding. */
    private boolean precompressed = true;

    /** Whether to serve files and directories whose names start with a dot. */
    private boolean serveHidden = false;

    public List<Location> getLocations() {
        return locations;
    }

    public void setLocations(List<Location> locations) {
        this.locations = locations;
    }

    public String getCacheControl() {
        return cacheControl;
    }

    public void setCacheControl(String cacheControl) {
        this.cacheControl = cacheControl;
    }

    public boolean isPrecompressed() {
        return precompressed;
    }

    public void setPrecompressed(boolean precompressed) {
        this.precompressed = precompressed;
    }

    public boolean isServeHidden() {
        return serveHidden;
    }

    public void setServeHidden(boolean serveHidden) {
        this.serveHidden = serveHidden;
    }

    /**
     * The handler configurations, in order.
     *
     * @throws IllegalStateException naming the location when its directory does not exist
     */
    List<StaticFilesConfig> toConfigs() {
        List<StaticFilesConfig> configs = new ArrayList<>();
        for (int i = 0; i < locations.size(); i++) {
            Location location = locations.get(i);
            String name = "ringserver.static.locations[" + i + "]";
            if (location.getDirectory() == null || location.getPath() == null) {
                throw new IllegalStateException(name + " needs both a path (the URL prefix) and a directory");
            }
            Path root = location.getDirectory().toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException(name + ".directory is " + root
                        + ", which is not a directory: create it or correct the path");
            }
            String prefix = location.getPath().endsWith("/") ? location.getPath() : location.getPath() + "/";
            StaticFilesConfig.Builder builder = StaticFilesConfig.builder(root).urlPrefix(prefix)
                    .precompressed(precompressed).serveHidden(serveHidden);
            String cache = location.getCacheControl() != null ? location.getCacheControl() : cacheControl;
            if (cache != null && !cache.isBlank()) {
                builder.cacheControl(cache);
            }
            configs.add(builder.build());
        }
        return configs;
    }

    /** One URL prefix served from one directory. */
    public static class Location {

        /** URL prefix, such as "/assets/"; "/" serves the whole URL space from the directory. */
        private String path;

        /** Directory whose files are served under the prefix. */
        private Path directory;

        /** Cache-Control for this location, instead of ringserver.static.cache-control. */
        private String cacheControl;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public String getCacheControl() {
            return cacheControl;
        }

        public void setCacheControl(String cacheControl) {
            this.cacheControl = cacheControl;
        }
    }
}

package dev.ringserver.files;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Media types by file extension: the common web types (IANA registrations, RFC 9239 for JavaScript),
 * text types with {@code charset=utf-8}, everything unknown {@code application/octet-stream}.
 * Immutable and thread-safe once built.
 */
final class MimeTypes {

    static final String DEFAULT = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";
    private static final Map<String, String> BUILT_IN = builtIn();

    private final Map<String, String> types;

    /** The built-in table with {@code overrides} (lower-case extension without the dot) on top. */
    MimeTypes(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            types = BUILT_IN;
        } else {
            Map<String, String> merged = new HashMap<>(BUILT_IN);
            overrides.forEach((extension, type) -> {
                dev.ringserver.http.ResponseHeadWriter.checkValue("Content-Type", type);
                merged.put(extension.toLowerCase(Locale.ROOT), type);
            });
            types = Map.copyOf(merged);
        }
    }

    /** The media type of the file {@code name} (a path's last segment or the whole path). */
    String typeOf(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot < name.lastIndexOf('/')) {
            return DEFAULT;
        }
        String extension = name.substring(dot + 1);
        String type = types.get(extension);
        if (type == null) {
            type = types.get(extension.toLowerCase(Locale.ROOT));
        }
        return type == null ? DEFAULT : type;
    }

    private static Map<String, String> builtIn() {
        Map<String, String> m = new HashMap<>();
        // text: always with a charset, as browsers otherwise guess
        m.put("html", "text/html" + UTF8);
        m.put("htm", "text/html" + UTF8);
        m.put("css", "text/css" + UTF8);
        m.put("js", "text/javascript" + UTF8);
        m.put("mjs", "text/javascript" + UTF8);
        m.put("txt", "text/plain" + UTF8);
        m.put("csv", "text/csv" + UTF8);
        m.put("md", "text/markdown" + UTF8);
        m.put("xml", "text/xml" + UTF8);
        m.put("ics", "text/calendar" + UTF8);
        m.put("vtt", "text/vtt" + UTF8);
        m.put("json", "application/json");
        m.put("map", "application/json");
        m.put("webmanifest", "application/manifest+json");
        m.put("jsonld", "application/ld+json");
        m.put("rss", "application/rss+xml");
        m.put("atom", "application/atom+xml");
        m.put("xhtml", "application/xhtml+xml");
        m.put("wasm", "application/wasm");
        m.put("pdf", "application/pdf");
        m.put("zip", "application/zip");
        m.put("gz", "application/gzip");
        m.put("tar", "application/x-tar");
        m.put("br", "application/x-brotli");
        m.put("jar", "application/java-archive");
        m.put("yaml", "application/yaml");
        m.put("yml", "application/yaml");
        m.put("bin", DEFAULT);
        // images
        m.put("png", "image/png");
        m.put("jpg", "image/jpeg");
        m.put("jpeg", "image/jpeg");
        m.put("gif", "image/gif");
        m.put("webp", "image/webp");
        m.put("avif", "image/avif");
        m.put("svg", "image/svg+xml");
        m.put("ico", "image/vnd.microsoft.icon");
        m.put("bmp", "image/bmp");
        m.put("tif", "image/tiff");
        m.put("tiff", "image/tiff");
        // fonts
        m.put("woff", "font/woff");
        m.put("woff2", "font/woff2");
        m.put("ttf", "font/ttf");
        m.put("otf", "font/otf");
        m.put("eot", "application/vnd.ms-fontobject");
        // audio and video
        m.put("mp3", "audio/mpeg");
        m.put("m4a", "audio/mp4");
        m.put("aac", "audio/aac");
        m.put("wav", "audio/wav");
        m.put("oga", "audio/ogg");
        m.put("ogg", "audio/ogg");
        m.put("opus", "audio/ogg");
        m.put("flac", "audio/flac");
        m.put("mp4", "video/mp4");
        m.put("m4v", "video/mp4");
        m.put("webm", "video/webm");
        m.put("ogv", "video/ogg");
        m.put("mov", "video/quicktime");
        return Map.copyOf(m);
    }
}

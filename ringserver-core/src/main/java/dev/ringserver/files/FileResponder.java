package dev.ringserver.files;

import dev.ringserver.http.HttpStatus;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The file-system side of a {@link StaticFileHandler}: for one request it resolves the path, stats the
 * file (directories, index, precompressed siblings), gets its content from {@link FileSources},
 * decides the answer (RFC 9110 conditionals and ranges) and posts a {@link Reply} to the exchange's
 * loop. Everything here may block on the file system, so it runs on the handler's executor only,
 * never on a loop.
 *
 * <p>Staleness: every request stats the file and a cache entry is used only for the exact version
 * found ({@link FileVersion}). A file is read or opened between two stats that must agree, so what
 * is cached is one version, never a mix; a file replaced by a rename mid-transfer leaves that
 * transfer on the old inode. Thread-safe: the caches lock themselves, the rest is immutable.
 */
final class FileResponder {

    private static final System.Logger LOG = System.getLogger(FileResponder.class.getName());
    /** Times a file may change between its stats before the request gets 503. */
    private static final int ATTEMPTS = 3;

    private final StaticFilesConfig config;
    private final Path root;
    private final MimeTypes mimeTypes;
    private final FileSources sources;
    private final StaticFileCounters counters;

    /** @throws IllegalArgumentException when the root is not an existing directory */
    FileResponder(StaticFilesConfig config, MemoryCache memory, OpenFileCache openFiles, StaticFileCounters counters) {
        this.config = config;
        this.root = config.root();
        this.mimeTypes = new MimeTypes(config.mimeTypes());
        this.sources = new FileSources(config, memory, openFiles, counters);
        this.counters = counters;
    }

    /** Answers {@code request}; on the executor. */
    void respond(FileRequest request) {
        Reply reply;
        try {
            reply = answer(request);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot serve " + request.rawPath(), e);
            reply = text(request, HttpStatus.INTERNAL_SERVER_ERROR);
        }
        post(reply);
    }

    /** Hands {@code reply} to its loop; a loop that refuses it (stopping, or its queue full) gets nothing. */
    static void post(Reply reply) {
        try {
            reply.exchange.loop().execute(reply);
        } catch (RejectedExecutionException e) {
            // The connection goes with the stopping loop, or times out; the file must not stay open.
            reply.release();
        }
    }

    private Reply answer(FileRequest request) throws IOException {
        RequestPaths.Resolved resolved = RequestPaths.resolve(request.rawPath(), config.urlPrefix(), config.serveHidden());
        if (!resolved.ok()) {
            return text(request, resolved.status());
        }
        String relative = resolved.relative();
        Path file;
        try {
            file = relative.isEmpty() ? root : root.resolve(relative);
        } catch (InvalidPathException e) {
            return text(request, HttpStatus.NOT_FOUND); // a name this file system cannot hold
        }
        BasicFileAttributes attributes = FileSources.stat(file);
        if (attributes != null && attributes.isDirectory()) {
            if (!resolved.trailingSlash() && config.redirectDirectories()) {
                return redirect(request);
            }
            if (config.indexFile() == null) {
                return text(request, HttpStatus.NOT_FOUND);
            }
            relative = relative.isEmpty() ? config.indexFile() : relative + "/" + config.indexFile();
            file = file.resolve(config.indexFile());
            attributes = FileSources.stat(file);
        }
        if (attributes == null || !attributes.isRegularFile()) {
            sources.forget(relative);
            return text(request, HttpStatus.NOT_FOUND); // absent, or a device, FIFO or socket
        }
        String contentType = mimeTypes.typeOf(relative);
        String key = relative;
        String coding = null;
        if (config.precompressed()) {
            for (String candidate : ContentCodings.preference(request.acceptEncoding())) {
                String suffix = candidate.equals(ContentCodings.BR) ? ".br" : ".gz";
                Path sibling = file.resolveSibling(file.getFileName() + suffix);
                BasicFileAttributes siblingAttributes = FileSources.stat(sibling);
                if (siblingAttributes != null && siblingAttributes.isRegularFile()) {
                    file = sibling;
                    attributes = siblingAttributes;
                    key = relative + suffix;
                    coding = candidate;
                    break;
                }
            }
        }
        for (int attempt = 1; ; attempt++) {
            FileSources.Source source = sources.load(request, key, file, attributes, coding);
            if (source == FileSources.OUTSIDE) {
                return text(request, HttpStatus.NOT_FOUND);
            }
            if (source == FileSources.FORBIDDEN) {
                return text(request, 403);
            }
            if (source != FileSources.CHANGED) {
                return decide(request, source, contentType);
            }
            if (attempt == ATTEMPTS) {
                return text(request, HttpStatus.SERVICE_UNAVAILABLE); // changing faster than it can be read
            }
            attributes = FileSources.stat(file);
            if (attributes == null || !attributes.isRegularFile()) {
                sources.forget(key);
                return text(request, HttpStatus.NOT_FOUND);
            }
        }
    }

    /** The answer for a found file: 304, 412, 416, 206 or 200. */
    private Reply decide(FileRequest request, FileSources.Source source, String contentType) {
        FileInfo info = source.info();
        long modified = info.version().modifiedSeconds();
        int condition = Preconditions.evaluate(request, info.etag(), modified);
        if (condition != Preconditions.PROCEED) {
            source.release();
            if (condition == Preconditions.NOT_MODIFIED) {
                counters.increment(StaticFileCounter.NOT_MODIFIED);
                return new Reply.Buffer(request.exchange(), counters, HttpStatus.NOT_MODIFIED,
                        validators(info, new ArrayList<>(8)), null, 0, 0, false, false);
            }
            return text(request, 412);
        }
        long size = info.size();
        ByteRanges ranges = null;
        if (!request.head() && request.range() != null && Preconditions.rangeApplies(request.ifRange(), info.etag(), modified)) {
            ranges = ByteRanges.parse(request.range(), size, config.maxRanges());
            if (ranges.outcome() == ByteRanges.UNSATISFIABLE) {
                source.release();
                return text(request, 416, "Content-Range", "bytes */" + size);
            }
        }
        List<String> fields = new ArrayList<>(16);
        if (ranges == null || ranges.outcome() == ByteRanges.FULL) {
            fields(info, contentType, fields);
            String[] array = fields.toArray(new String[0]);
            if (request.head()) {
                source.release();
                return new Reply.Buffer(request.exchange(), counters, HttpStatus.OK, array, null, 0, size, true, false);
            }
            return source.body() != null
                    ? new Reply.Buffer(request.exchange(), counters, HttpStatus.OK, array, source.body(), 0, size, false, true)
                    : new Reply.Region(request.exchange(), counters, HttpStatus.OK, array, source.handle(), 0, size);
        }
        counters.increment(StaticFileCounter.PARTIAL);
        if (ranges.count() == 1) {
            fields(info, contentType, fields);
            fields.add("Content-Range");
            fields.add("bytes " + ranges.first(0) + "-" + ranges.last(0) + "/" + size);
            String[] array = fields.toArray(new String[0]);
            return source.body() != null
                    ? new Reply.Buffer(request.exchange(), counters, 206, array, source.body(), ranges.first(0),
                            ranges.length(0), false, true)
                    : new Reply.Region(request.exchange(), counters, 206, array, source.handle(), ranges.first(0),
                            ranges.length(0));
        }
        Multipart multipart = Multipart.of(ranges, contentType, size);
        fields(info, multipart.contentType(), fields);
        String[] array = fields.toArray(new String[0]);
        if (source.body() != null) {
            byte[] body = multipart.assemble(source.body(), ranges);
            return new Reply.Buffer(request.exchange(), counters, 206, array, MemorySegment.ofArray(body), 0,
                    body.length, false, true);
        }
        return new MultipartReply(request.exchange(), counters, array, source.handle(), ranges, multipart);
    }

    /** The fields of a 200 or 206: the representation's metadata and validators. */
    private void fields(FileInfo info, String contentType, List<String> fields) {
        fields.add("Content-Type");
        fields.add(contentType);
        if (info.coding() != null) {
            fields.add("Content-Encoding");
            fields.add(info.coding());
        }
        fields.add("Accept-Ranges");
        fields.add("bytes");
        validators(info, fields);
    }

    /** What a 304 repeats from the 200 (RFC 9110 §15.4.5): validators, Cache-Control and Vary. */
    private String[] validators(FileInfo info, List<String> fields) {
        if (info.etag() != null) {
            fields.add("ETag");
            fields.add(info.etag());
        }
        fields.add("Last-Modified");
        fields.add(info.lastModified());
        if (config.cacheControl() != null) {
            fields.add("Cache-Control");
            fields.add(config.cacheControl());
        }
        if (config.precompressed()) {
            // every file may have siblings, so every answer depends on Accept-Encoding for caches
            fields.add("Vary");
            fields.add("Accept-Encoding");
        }
        return fields.toArray(new String[0]);
    }

    private Reply redirect(FileRequest request) {
        String location = request.rawPath() + "/" + (request.query() == null ? "" : "?" + request.query());
        return text(request, 301, "Location", location);
    }

    /** A short {@code text/plain} answer with {@code status}, and optional extra fields. */
    private Reply text(FileRequest request, int status, String... extra) {
        if (status == HttpStatus.NOT_FOUND) {
            counters.increment(StaticFileCounter.NOT_FOUND);
        }
        byte[] text = (status + " " + HttpStatus.reason(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        String[] fields = new String[extra.length + 2];
        fields[0] = "Content-Type";
        fields[1] = "text/plain; charset=utf-8";
        System.arraycopy(extra, 0, fields, 2, extra.length);
        return new Reply.Buffer(request.exchange(), counters, status, fields, MemorySegment.ofArray(text), 0,
                text.length, request.head(), false);
    }

}

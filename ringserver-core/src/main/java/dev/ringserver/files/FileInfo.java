package dev.ringserver.files;

import dev.ringserver.http.HttpDate;

/**
 * One servable representation: a version of a file (or of its precompressed sibling) with the
 * validators sent for it, formatted once when it enters a cache. Immutable.
 *
 * @param version      the version the validators describe
 * @param etag         the {@code ETag} value, or null when entity tags are off
 * @param lastModified the {@code Last-Modified} value (IMF-fixdate)
 * @param coding       the {@code Content-Encoding} ({@code br}, {@code gzip}), or null for the file as is
 */
record FileInfo(FileVersion version, String etag, String lastModified, String coding) {

    static FileInfo of(FileVersion version, StaticFilesConfig.ETags etags, String coding) {
        return new FileInfo(version, etag(version, etags, coding), HttpDate.format(version.modifiedSeconds()), coding);
    }

    long size() {
        return version.size();
    }

    /**
     * {@code "<mtime ns hex>-<size hex>[-coding]"}, strong or weak: the coding is part of the tag because
     * a sibling is another representation, whose tag must differ even if its time and size collide.
     */
    static String etag(FileVersion version, StaticFilesConfig.ETags etags, String coding) {
        if (etags == StaticFilesConfig.ETags.NONE) {
            return null;
        }
        String opaque = '"' + Long.toHexString(version.modifiedNanos()) + '-' + Long.toHexString(version.size())
                + (coding == null ? "" : "-" + coding) + '"';
        return etags == StaticFilesConfig.ETags.WEAK ? "W/" + opaque : opaque;
    }
}

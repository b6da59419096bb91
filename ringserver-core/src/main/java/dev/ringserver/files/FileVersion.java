package dev.ringserver.files;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What tells one version of a file from another: its identity on the file system (device and inode,
 * so a file replaced by a rename is a new version even with the same size and time), its size and its
 * modification time in nanoseconds. Every response checks the cached version against a fresh
 * {@code stat}, so a changed file is never served from a cache. Immutable.
 *
 * @param fileKey       {@link BasicFileAttributes#fileKey()}, or null where the file system has none
 * @param size          bytes
 * @param modifiedNanos modification time, nanoseconds since the epoch
 */
record FileVersion(Object fileKey, long size, long modifiedNanos) {

    static FileVersion of(BasicFileAttributes attributes) {
        return new FileVersion(attributes.fileKey(), attributes.size(),
                attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    /** The modification time in whole seconds, the precision of {@code Last-Modified}. */
    long modifiedSeconds() {
        return Math.floorDiv(modifiedNanos, 1_000_000_000L);
    }

    boolean sameAs(BasicFileAttributes attributes) {
        return size == attributes.size()
                && modifiedNanos == attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                && Objects.equals(fileKey, attributes.fileKey());
    }
}

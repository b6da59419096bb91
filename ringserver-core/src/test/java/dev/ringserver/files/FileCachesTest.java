package dev.ringserver.files;

import dev.ringserver.io.FileHandle;
import dev.ringserver.testing.BackendUnderTest;
import dev.ringserver.testing.Leaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds and the version checks of the memory cache and the descriptor cache, and that the
 * descriptor cache never closes a file a response still holds.
 */
class FileCachesTest {

    @TempDir
    Path dir;

    private static FileInfo info(long size, long modified) {
        return FileInfo.of(new FileVersion("key", size, modified), StaticFilesConfig.ETags.STRONG, null);
    }

    @Test
    void memoryCacheKeepsWithinItsBytesEvictingTheLeastRecentlyUsed() {
        MemoryCache cache = new MemoryCache(3 * (1000 + MemoryCache.ENTRY_OVERHEAD));
        for (String key : new String[] {"a", "b", "c"}) {
            cache.put(key, new MemoryCache.Entry(info(1000, 1), MemorySegment.ofArray(new byte[1000])));
        }
        assertThat(cache.get("a", info(1000, 1).version())).isNotNull(); // a is now the most recent
        cache.put("d", new MemoryCache.Entry(info(1000, 1), MemorySegment.ofArray(new byte[1000])));
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("b", info(1000, 1).version())).as("least recently used").isNull();
        assertThat(cache.get("a", info(1000, 1).version())).isNotNull();
        assertThat(cache.bytes()).isLessThanOrEqualTo(3 * (1000 + MemoryCache.ENTRY_OVERHEAD));

        cache.put("huge", new MemoryCache.Entry(info(10_000, 1), MemorySegment.ofArray(new byte[10_000])));
        assertThat(cache.get("huge", info(10_000, 1).version())).as("larger than the whole cache").isNull();
    }

    @Test
    void memoryCacheDropsAStaleVersion() {
        MemoryCache cache = new MemoryCache(1 << 20);
        cache.put("a", new MemoryCache.Entry(info(3, 1), MemorySegment.ofArray(new byte[3])));
        assertThat(cache.get("a", info(3, 2).version())).as("another modification time").isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void emptyFilesStillCountAgainstTheBound() {
        MemoryCache cache = new MemoryCache(10 * MemoryCache.ENTRY_OVERHEAD);
        for (int i = 0; i < 100; i++) {
            cache.put("empty" + i, new MemoryCache.Entry(info(0, 1), MemorySegment.ofArray(new byte[0])));
        }
        assertThat(cache.size()).isEqualTo(10);
    }

    @Test
    void descriptorCacheClosesEvictedFilesOnlyAfterTheirLastResponse() throws Exception {
        BackendUnderTest backend = BackendUnderTest.nio();
        Path[] files = new Path[3];
        for (int i = 0; i < files.length; i++) {
            files[i] = Files.writeString(dir.resolve("f" + i), "content " + i);
        }
        int before = Leaks.openFdCount();
        OpenFileCache cache = new OpenFileCache(2);
        OpenFileCache.Lease first = cache.put("f0", info(9, 1), "nio", backend.provider().openFile(files[0]));
        cache.put("f1", info(9, 1), "nio", backend.provider().openFile(files[1])).handle().close();
        cache.put("f2", info(9, 1), "nio", backend.provider().openFile(files[2])).handle().close();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.share("f0", info(9, 1).version(), "nio")).as("evicted").isNull();
        assertThat(Leaks.openFdCount()).as("f0 is evicted but a response still sends it").isEqualTo(before + 3);
        first.handle().close();
        assertThat(Leaks.openFdCount()).isEqualTo(before + 2);

        OpenFileCache.Lease lease = cache.share("f1", info(9, 1).version(), "nio");
        assertThat(lease).isNotNull();
        assertThat(cache.share("f1", info(9, 1).version(), "io_uring")).as("another backend's form").isNull();
        assertThat(cache.share("f2", info(9, 2).version(), "nio")).as("a changed file").isNull();
        assertThat(Leaks.openFdCount()).as("the stale f2 is closed").isEqualTo(before + 1);
        cache.close();
        assertThat(Leaks.openFdCount()).as("f1 still held by its lease").isEqualTo(before + 1);
        FileHandle afterClose = backend.provider().openFile(files[0]);
        OpenFileCache.Lease uncached = cache.put("f0", info(9, 1), "nio", afterClose);
        assertThat(uncached.handle()).as("a closed cache keeps nothing").isSameAs(afterClose);
        uncached.handle().close();
        lease.handle().close();
        assertThat(Leaks.openFdCount()).isEqualTo(before);
    }
}

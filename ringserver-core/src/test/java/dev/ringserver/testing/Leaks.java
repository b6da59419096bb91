package dev.ringserver.testing;

import dev.ringserver.sys.NativeMemory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot of the process's open file descriptors and of ringserver's native memory, to prove that
 * a test left nothing behind. Descriptors closed by other threads (the JDK's HTTP client) may take a
 * moment, so {@link #assertNoLeaks()} waits briefly for the counts to settle.
 */
public final class Leaks {

    /**
     * Linux lists the process's descriptors as symbolic links in {@code /proc/self/fd}; macOS has no
     * {@code /proc}, but {@code /dev/fd} lists them (as devices, so without targets).
     */
    private static final Path FD_DIR = Files.isDirectory(Path.of("/proc/self/fd")) ? Path.of("/proc/self/fd")
            : Path.of("/dev/fd");
    private static final boolean LINKS = FD_DIR.startsWith("/proc");

    static {
        warmUpJdk();
    }

    private final TreeMap<Integer, String> fds;
    private final long nativeBytes;

    private Leaks(TreeMap<Integer, String> fds, long nativeBytes) {
        this.fds = fds;
        this.nativeBytes = nativeBytes;
    }

    public static Leaks snapshot() {
        return new Leaks(openFds(), NativeMemory.inUse());
    }

    /** Waits up to five seconds for descriptors and native memory to return to this snapshot. */
    public void assertNoLeaks() throws InterruptedException {
        TreeMap<Integer, String> now = openFds();
        for (int attempt = 0; attempt < 100 && (now.size() > fds.size() || NativeMemory.inUse() != nativeBytes); attempt++) {
            Thread.sleep(50);
            now = openFds();
        }
        TreeMap<Integer, String> leaked = new TreeMap<>(now);
        leaked.keySet().removeAll(fds.keySet());
        assertThat(now.size()).as("open file descriptors (new ones: %s)", leaked).isLessThanOrEqualTo(fds.size());
        assertThat(NativeMemory.inUse()).as("native memory in use").isEqualTo(nativeBytes);
    }

    /**
     * The JDK opens some descriptors once and keeps them for the life of the process: NIO's
     * "pre-close" socket pair on first channel use, {@code /dev/random} and {@code /dev/urandom} for
     * seeding. Opening them before the first snapshot keeps them out of every comparison.
     */
    private static void warmUpJdk() {
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open();
             java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(server.getLocalAddress())) {
                client.write(java.nio.ByteBuffer.allocate(1));
            }
            new java.security.SecureRandom().nextBytes(new byte[8]);
            java.security.SecureRandom.getInstanceStrong();
            Files.deleteIfExists(Files.createTempFile("ringserver-warmup", ".tmp"));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot warm up the JDK's descriptors", e);
        }
    }

    /** The number of open descriptors of this process. */
    public static int openFdCount() {
        return openFds().size();
    }

    private static TreeMap<Integer, String> openFds() {
        TreeMap<Integer, String> result = new TreeMap<>();
        try (Stream<Path> entries = Files.list(FD_DIR)) {
            List<Path> list = entries.toList();
            for (Path entry : list) {
                String target = "";
                if (LINKS) {
                    try {
                        target = Files.readSymbolicLink(entry).toString();
                    } catch (IOException e) {
                        continue; // closed since the listing was made
                    }
                    if (target.startsWith("/proc/") && target.endsWith("/fd")) {
                        continue; // the listing's own descriptor
                    }
                }
                // Without targets (macOS) the listing's own descriptor stays in: every listing has one,
                // so counts still compare.
                result.put(Integer.parseInt(entry.getFileName().toString()), target);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD_DIR, e);
        }
        return result;
    }
}

package dev.ringserver.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Downloads too large to hold in memory, checked by CRC-32 as they stream, for the static-file
 * suites' 4 GiB case: {@link dev.ringserver.testing.RawHttpClient} keeps a whole body in an array.
 */
final class StaticFilesDownloads {

    /** What a streamed download received: status, announced length, bytes read and their CRC-32. */
    record Download(int status, long contentLength, long bytes, long crc) {
    }

    private StaticFilesDownloads() {
    }

    /** GETs {@code target} from 127.0.0.1:{@code port} on a new connection, reading the body as announced. */
    static Download get(int port, String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(30_000);
            socket.setReceiveBufferSize(4 << 20);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            String status = line(in);
            long contentLength = -1;
            for (String field = line(in); !field.isEmpty(); field = line(in)) {
                if (field.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Long.parseLong(field.substring(15).trim());
                }
            }
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[1 << 20];
            long read = 0;
            while (read < contentLength) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, contentLength - read));
                if (n < 0) {
                    break;
                }
                crc.update(buffer, 0, n);
                read += n;
            }
            return new Download(Integer.parseInt(status.split(" ")[1]), contentLength, read, crc.getValue());
        }
    }

    /**
     * The CRC-32 of a sparse file of {@code size} bytes that holds {@code data} at {@code offset} and
     * zeros elsewhere, computed from that layout in memory: reading 4 GiB of holes back from disk
     * takes longer than the download itself.
     */
    static long crc32OfSparse(long size, long offset, byte[] data) {
        CRC32 crc = new CRC32();
        ByteBuffer zeros = ByteBuffer.allocateDirect(4 << 20);
        updateZeros(crc, zeros, offset);
        crc.update(data);
        updateZeros(crc, zeros, size - offset - data.length);
        return crc.getValue();
    }

    private static void updateZeros(CRC32 crc, ByteBuffer zeros, long count) {
        for (long left = count; left > 0; left -= zeros.capacity()) {
            crc.update(zeros.clear().limit((int) Math.min(zeros.capacity(), left)));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection ended in the response head: '" + line + "'");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}

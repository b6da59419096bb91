package dev.ringserver.spring.reactive;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

class GzipEncoderTest {

    private final DefaultDataBufferFactory factory = DefaultDataBufferFactory.sharedInstance;

    @Test
    void producesAStreamGzipInputStreamReadsBack() throws IOException {
        byte[] random = new byte[300_000];
        new Random(1).nextBytes(random); // incompressible: the output outgrows every first guess
        String text = TestApp.text(200_000);
        try (GzipEncoder encoder = new GzipEncoder(factory, Deflater.DEFAULT_COMPRESSION)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            append(out, encoder.compress(factory.wrap(text.getBytes(StandardCharsets.UTF_8))));
            append(out, encoder.compress(factory.wrap(random)));
            append(out, encoder.compress(factory.wrap(new byte[0])));
            append(out, encoder.finish());
            byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray())).readAllBytes();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            expected.writeBytes(random);
            assertThat(inflated).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void makesEverythingSoFarDecodableAtEachFlush() throws Exception {
        try (GzipEncoder encoder = new GzipEncoder(factory, Deflater.DEFAULT_COMPRESSION)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Inflater inflater = new Inflater(true);
            StringBuilder decoded = new StringBuilder();
            int fed = 10;
            for (int i = 0; i < 3; i++) {
                append(out, encoder.compress(factory.wrap(("event " + i + "\n").getBytes(StandardCharsets.UTF_8))));
                append(out, encoder.flush());
                byte[] all = out.toByteArray();
                inflater.setInput(all, fed, all.length - fed);
                fed = all.length;
                byte[] buffer = new byte[256];
                for (int n = inflater.inflate(buffer); n > 0; n = inflater.inflate(buffer)) {
                    decoded.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
                assertThat(decoded.toString()).endsWith("event " + i + "\n");
            }
            inflater.end();
        }
    }

    @Test
    void compressesASingleBufferIntoOneFinishedBuffer() throws IOException {
        String text = TestApp.text(10_000);
        try (GzipEncoder encoder = new GzipEncoder(factory, Deflater.BEST_SPEED)) {
            DataBuffer whole = encoder.compressLast(factory.wrap(text.getBytes(StandardCharsets.UTF_8)));
            byte[] bytes = new byte[whole.readableByteCount()];
            whole.read(bytes);
            assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void producesNothingOnceClosed() {
        GzipEncoder encoder = new GzipEncoder(factory, Deflater.DEFAULT_COMPRESSION);
        assertThat(encoder.compress(factory.wrap(new byte[] {1, 2, 3}))).isNotNull(); // the header at least
        encoder.close();
        assertThat(encoder.compress(factory.wrap(new byte[] {4}))).isNull();
        assertThat(encoder.flush()).isNull();
        assertThat(encoder.finish()).isNull();
        encoder.close();
    }

    private static void append(ByteArrayOutputStream out, DataBuffer buffer) {
        if (buffer != null) {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            out.writeBytes(bytes);
        }
    }
}

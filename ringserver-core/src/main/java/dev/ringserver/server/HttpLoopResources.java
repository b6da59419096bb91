package dev.ringserver.server;

import dev.ringserver.http.HttpConfig;
import dev.ringserver.http.ResponseHeadWriter;

import java.lang.foreign.MemorySegment;

/**
 * What the HTTP connections of one event loop share: a pool of head buffers (for request heads that
 * span receive buffers), the scratch memory response heads are built in, and the loop's request
 * counters. Confined to the loop; one per loop and HTTP configuration.
 */
final class HttpLoopResources {

    private static final int RESPONSE_HEAD_BYTES = 16 * 1024;
    private static final long HEAD_POOL_BYTES = 64L << 20;

    private final EventLoop loop;
    private final BlockPool headBuffers;
    private final ResponseHeadWriter headWriter;
    private final MemorySegment chunkHeader;

    HttpLoopResources(LoopResources resources, HttpConfig config) {
        this.loop = resources.loop();
        // The longest head the scanner lets through: empty lines before the request line (as long as
        // a request line), the request line with CR LF, and the header section.
        int headCapacity = 2 * config.maxRequestLineBytes() + 2 + config.maxHeaderBytes();
        this.headBuffers = resources.blockPool(headCapacity, Math.max(headCapacity, HEAD_POOL_BYTES));
        this.headWriter = new ResponseHeadWriter(resources.allocate(RESPONSE_HEAD_BYTES));
        this.chunkHeader = resources.allocate(32);
    }

    EventLoop loop() {
        return loop;
    }

    BlockPool headBuffers() {
        return headBuffers;
    }

    ResponseHeadWriter headWriter() {
        return headWriter;
    }

    MemorySegment chunkHeaderScratch() {
        return chunkHeader;
    }
}

package dev.ringserver.io.nio;

import dev.ringserver.io.ChannelFileHandle;
import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoVecs;
import dev.ringserver.io.ListenOptions;
import dev.ringserver.io.readiness.Poller;
import dev.ringserver.io.readiness.SocketOps;
import dev.ringserver.sys.Errno;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The NIO backend's {@link Poller} and {@link SocketOps} in one: JDK channels in a table whose index is
 * the handle, watched by one level-triggered {@link Selector}. Java exceptions become {@code -errno}
 * values of {@link Errno}, so the shared readiness core treats NIO like a native backend.
 *
 * <p>Received data is read into the backend's native buffers through {@link ByteBuffer} views; each
 * call creates a view, which the portable fallback accepts. Confined to the backend's thread, except
 * {@link #wakeup()}.
 */
final class NioChannels implements Poller, SocketOps {

    private final Selector selector;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private SelectableChannel[] channels = new SelectableChannel[256];
    private SelectionKey[] keys = new SelectionKey[256];
    private int[] freeHandles = new int[256];
    private int freeCount;
    private int nextHandle;
    private long wakeups;
    private ReadyHandler currentHandler;
    private final Consumer<SelectionKey> onSelected = this::onSelected;

    NioChannels() throws IOException {
        this.selector = Selector.open();
    }

    static String features() {
        try (Selector probe = Selector.open()) {
            return "selector=" + probe.getClass().getSimpleName();
        } catch (IOException e) {
            return "selector=unknown";
        }
    }

    // ---- SocketOps

    @Override
    public int listen(InetSocketAddress address, ListenOptions options) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.configureBlocking(false);
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (options.reusePort() && server.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            server.bind(address, options.backlog());
            return store(server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress(int handle) throws IOException {
        return (InetSocketAddress) ((NetworkChannel) channel(handle)).getLocalAddress();
    }

    @Override
    public InetSocketAddress remoteAddress(int handle) throws IOException {
        return (InetSocketAddress) ((SocketChannel) channel(handle)).getRemoteAddress();
    }

    @Override
    public int accept(int listener) {
        SocketChannel accepted;
        try {
            accepted = ((ServerSocketChannel) channel(listener)).accept();
        } catch (IOException e) {
            return -errno(e);
        }
        if (accepted == null) {
            return -Errno.EAGAIN;
        }
        try {
            accepted.configureBlocking(false);
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return store(accepted);
        } catch (IOException e) {
            closeQuietly(accepted);
            return -errno(e);
        }
    }

    @Override
    public long recv(int handle, MemorySegment buffer) {
        try {
            int read = ((SocketChannel) channel(handle)).read(buffer.asByteBuffer());
            return read < 0 ? 0 : read == 0 ? -Errno.EAGAIN : read;
        } catch (IOException e) {
            return -errno(e);
        }
    }

    /** {@code more} is ignored: the JDK's channels have no {@code MSG_MORE}. */
    @Override
    public long send(int handle, MemorySegment buffer, long offset, int length, boolean more) {
        try {
            int written = ((SocketChannel) channel(handle)).write(buffer.asSlice(offset, length).asByteBuffer());
            return written == 0 && length > 0 ? -Errno.EAGAIN : written;
        } catch (IOException e) {
            return -errno(e);
        }
    }

    @Override
    public long sendv(int handle, MemorySegment iovecs, int count) {
        ByteBuffer[] views = new ByteBuffer[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            long length = IoVecs.length(iovecs, i);
            // NATIVE: the iovec points into memory the caller keeps alive until this write completes;
            // the view is used only during this synchronous call.
            views[i] = MemorySegment.ofAddress(IoVecs.address(iovecs, i)).reinterpret(length).asByteBuffer();
            total += length;
        }
        try {
            long written = ((SocketChannel) channel(handle)).write(views);
            return written == 0 && total > 0 ? -Errno.EAGAIN : written;
        } catch (IOException e) {
            return -errno(e);
        }
    }

    @Override
    public long sendfile(int handle, FileHandle file, long offset, int count) {
        FileChannel source = ((ChannelFileHandle) file).channel();
        try {
            long sent = source.transferTo(offset, count, (SocketChannel) channel(handle));
            if (sent == 0 && count > 0 && offset < source.size()) {
                return -Errno.EAGAIN;
            }
            return sent;
        } catch (IOException e) {
            return -errno(e);
        }
    }

    @Override
    public int shutdownOutput(int handle) {
        try {
            ((SocketChannel) channel(handle)).shutdownOutput();
            return 0;
        } catch (IOException e) {
            return -errno(e);
        }
    }

    @Override
    public DetachedSocket detach(int handle) {
        SocketChannel channel = (SocketChannel) channel(handle);
        channels[handle] = null;
        keys[handle] = null;
        release(handle);
        return new DetachedSocket.Channel(channel);
    }

    @Override
    public int attach(DetachedSocket socket) {
        return store(((DetachedSocket.Channel) socket).channel());
    }

    @Override
    public int close(int handle) {
        SelectableChannel channel = channel(handle);
        if (channel == null) {
            return -Errno.EBADF;
        }
        channels[handle] = null;
        keys[handle] = null;
        release(handle);
        try {
            channel.close();
            return 0;
        } catch (IOException e) {
            return -errno(e);
        }
    }

    // ---- Poller

    @Override
    public void register(int handle) throws IOException {
        keys[handle] = channel(handle).register(selector, 0, handle);
    }

    @Override
    public void interest(int handle, boolean read, boolean write) {
        SelectionKey key = keys[handle];
        if (key == null || !key.isValid()) {
            return;
        }
        int readOp = key.channel() instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        key.interestOps((read ? readOp : 0) | (write ? SelectionKey.OP_WRITE : 0));
    }

    @Override
    public void deregister(int handle, boolean closing) {
        SelectionKey key = keys[handle];
        if (key != null) {
            key.cancel();
        }
    }

    @Override
    public int wait(long timeoutNanos, ReadyHandler handler) throws IOException {
        currentHandler = handler;
        try {
            int selected;
            if (timeoutNanos == 0) {
                selected = selector.selectNow(onSelected);
            } else if (timeoutNanos < 0) {
                selected = selector.select(onSelected);
            } else {
                selected = selector.select(onSelected, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
            if (wakeupPending.compareAndSet(true, false)) {
                wakeups++;
            }
            return selected;
        } finally {
            currentHandler = null;
        }
    }

    @Override
    public void wakeup() {
        wakeupPending.set(true);
        selector.wakeup();
    }

    @Override
    public long wakeupsObserved() {
        return wakeups;
    }

    /** Closes the selector and every channel still in the table. */
    @Override
    public void close() {
        for (int handle = 0; handle < nextHandle; handle++) {
            if (channels[handle] != null) {
                closeQuietly(channels[handle]);
                channels[handle] = null;
            }
        }
        closeQuietly(selector);
    }

    private void onSelected(SelectionKey key) {
        int ready = key.readyOps();
        int events = 0;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= READABLE;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            events |= WRITABLE;
        }
        currentHandler.ready((Integer) key.attachment(), events);
    }

    private SelectableChannel channel(int handle) {
        return handle >= 0 && handle < channels.length ? channels[handle] : null;
    }

    private int store(SelectableChannel channel) {
        int handle;
        if (freeCount > 0) {
            handle = freeHandles[--freeCount];
        } else {
            handle = nextHandle++;
            if (handle == channels.length) {
                channels = Arrays.copyOf(channels, handle * 2);
                keys = Arrays.copyOf(keys, handle * 2);
                freeHandles = Arrays.copyOf(freeHandles, handle * 2);
            }
        }
        channels[handle] = channel;
        return handle;
    }

    private void release(int handle) {
        freeHandles[freeCount++] = handle;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing during shutdown or after a failure; there is nothing more to do
        }
    }

    /** Translates a Java I/O exception into the errno a native backend would have reported. */
    static int errno(IOException e) {
        if (e instanceof ClosedChannelException) {
            return Errno.EBADF;
        }
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("reset")) {
            return Errno.ECONNRESET;
        }
        if (message.contains("broken pipe")) {
            return Errno.EPIPE;
        }
        if (message.contains("too many open files")) {
            return Errno.EMFILE;
        }
        if (message.contains("aborted")) {
            return Errno.ECONNABORTED;
        }
        if (message.contains("not connected")) {
            return Errno.ENOTCONN;
        }
        if (message.contains("timed out")) {
            return Errno.ETIMEDOUT;
        }
        return Errno.EIO;
    }
}

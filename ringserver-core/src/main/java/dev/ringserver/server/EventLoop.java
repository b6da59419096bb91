package dev.ringserver.server;

import dev.ringserver.io.CompletionHandler;
import dev.ringserver.io.Completions;
import dev.ringserver.io.Counters;
import dev.ringserver.io.DetachedSocket;
import dev.ringserver.io.FileHandle;
import dev.ringserver.io.IoBackend;
import dev.ringserver.io.IoCounter;
import dev.ringserver.sys.Errno;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One event loop: a platform thread that owns one {@link IoBackend}, its listener (with
 * {@code SO_REUSEPORT}, one per loop) and the connections accepted on it. Everything the loop owns is
 * confined to its thread. Other threads reach it only through {@link #execute}, a bounded lock-free
 * queue; the loop sleeps in the backend and is woken only when it might be sleeping.
 *
 * <p>Each iteration runs queued tasks, then one {@link IoBackend#poll} that submits what the
 * previous completions queued and waits for the next batch. Accept failures such as {@code EMFILE}
 * are retried with an exponential back-off instead of spinning.
 */
public final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    static final int ACCEPT = 1;
    static final int RECV = 2;
    static final int WRITE = 3;
    static final int CLOSE = 4;
    static final int TIMER = 5;
    static final int LISTENER_CLOSE = 6;
    static final int DISCARD = 7;
    private static final int KIND_BITS = 3;
    private static final int TASKS_PER_ITERATION = 1024;
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WHEEL_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int WHEEL_BUCKETS = 4096;

    private final int index;
    private final ServerSettings settings;
    private final Thread thread;
    private final TaskQueue tasks;
    private final AtomicBoolean wakeupNeeded = new AtomicBoolean();
    private final CompletableFuture<InetSocketAddress> started = new CompletableFuture<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Counters<LoopCounter> counters = new Counters<>(LoopCounter.class);
    private final Counters<HttpCounter> httpCounters = new Counters<>(HttpCounter.class);
    private final CompletionHandler dispatcher = this::dispatch;
    private volatile boolean stopRequested;
    private volatile IoBackend backend;
    private volatile String features = "";

    private InetSocketAddress bindAddress;
    private EventLoop[] acceptTargets;
    private int nextTarget;
    private Arena arena;
    private BlockPool outbound;
    private Connection[] connections;
    private int[] freeSlots;
    private int freeSlotCount;
    private int listener = -1;
    private boolean accepting;
    private boolean acceptPaused;
    private boolean draining;
    private boolean listenerClosing;
    private long acceptBackoffNanos = FIRST_BACKOFF_NANOS;
    private boolean stopping;
    private long stopDeadline;
    private Runnable[] timerTasks;
    private long[] timerIds;
    private int[] freeTimers;
    private int freeTimerCount;
    private int pendingTimers;
    private long timerSequence;
    private TimerWheel wheel;
    private boolean wheelTicking;
    private final Runnable tickWheel = this::tickWheel;
    private Object[] locals = new Object[4];

    EventLoop(int index, ServerSettings settings) {
        this.index = index;
        this.settings = settings;
        this.tasks = new TaskQueue(settings.taskQueueCapacity());
        this.thread = Thread.ofPlatform().name("ringserver-loop-" + index).unstarted(this::run);
    }

    /** This loop's position in its server, from 0. */
    public int index() {
        return index;
    }

    /** Whether the calling thread is this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The backend's name, once started. */
    public String backendName() {
        return settings.provider().name();
    }

    /**
     * Opens {@code path} for {@link HttpResponse#sendFile} in the form this loop's backend sends
     * (a native descriptor, or a file channel on NIO). Blocks on the file system: call it off the
     * loop (a virtual thread, an executor), then hand the file to the response from there.
     */
    public FileHandle openFile(Path path) throws IOException {
        return settings.provider().openFile(path);
    }

    /** The features the backend runs with, once started. */
    public String features() {
        return features;
    }

    /** The backend's counters; any thread. Empty before start. */
    public Counters<IoCounter> ioCounters() {
        IoBackend current = backend;
        return current == null ? new Counters<>(IoCounter.class) : current.counters();
    }

    /** Connection counters; any thread. */
    public Counters<LoopCounter> counters() {
        return counters;
    }

    /** Request counters kept by the HTTP engine on this loop; any thread may read them. */
    public Counters<HttpCounter> httpCounters() {
        return httpCounters;
    }

    /**
     * Runs {@code task} on this loop's thread, after the tasks queued before it. Any thread.
     *
     * @throws RejectedExecutionException when the loop is stopping or its task queue is full
     */
    @Override
    public void execute(Runnable task) {
        if (stopRequested && !inLoop()) {
            throw new RejectedExecutionException("event loop " + index + " is stopping");
        }
        if (!tasks.offer(task)) {
            throw new RejectedExecutionException("event loop " + index + " task queue is full ("
                    + tasks.capacity() + " tasks)");
        }
        if (!inLoop() && wakeupNeeded.compareAndSet(true, false)) {
            IoBackend current = backend;
            if (current != null) {
                current.wakeup();
            }
        }
    }

    /**
     * Runs {@code task} on this loop after {@code delay} (a kernel timeout where the backend has one).
     * Loop thread only.
     *
     * @return an id for {@link #cancelScheduled(long)}
     * @throws IllegalStateException when the loop's timer table is full
     */
    public long schedule(long delay, TimeUnit unit, Runnable task) {
        checkInLoop();
        if (freeTimerCount == 0) {
            throw new IllegalStateException("event loop " + index + " has " + timerTasks.length + " timers pending");
        }
        int slot = freeTimers[--freeTimerCount];
        long id = (++timerSequence << 20) | slot;
        timerTasks[slot] = task;
        timerIds[slot] = id;
        pendingTimers++;
        backend.timeout(unit.toNanos(delay), tag(slot, TIMER));
        return id;
    }

    /**
     * Schedules (or moves) a connection's {@code timeout} on the loop's timing wheel: cheap enough for a
     * deadline per connection and per request, accurate to about 100 ms. Loop thread only.
     */
    public void schedule(TimerWheel.Timeout timeout, long delay, TimeUnit unit) {
        checkInLoop();
        wheel.schedule(timeout, System.nanoTime() + unit.toNanos(delay));
        if (!wheelTicking && !stopping) {
            wheelTicking = true;
            schedule(wheel.tickNanos(), TimeUnit.NANOSECONDS, tickWheel);
        }
    }

    /** Cancels a timeout scheduled with {@link #schedule(TimerWheel.Timeout, long, TimeUnit)}. Loop thread only. */
    public void cancel(TimerWheel.Timeout timeout) {
        checkInLoop();
        wheel.cancel(timeout);
    }

    /** This loop's value of {@code local}, created on first use. Loop thread only. */
    @SuppressWarnings("unchecked")
    public <T> T local(LoopLocal<T> local) {
        checkInLoop();
        if (local.index >= locals.length) {
            locals = java.util.Arrays.copyOf(locals, Math.max(local.index + 1, locals.length * 2));
        }
        Object value = locals[local.index];
        if (value == null) {
            value = local.initializer.apply(new LoopResources(this, arena));
            locals[local.index] = value;
        }
        return (T) value;
    }

    /** Whether the server is shutting down gracefully: no new connections, finish what is in flight. */
    public boolean isDraining() {
        return draining;
    }

    /** Whether the loop has been asked to stop (it then refuses tasks from other threads). Any thread. */
    public boolean isStopping() {
        return stopRequested;
    }

    /** Cancels a scheduled task that has not run yet; loop thread only. Returns whether it was pending. */
    public boolean cancelScheduled(long id) {
        checkInLoop();
        int slot = (int) (id & 0xFFFFF);
        if (slot >= timerIds.length || timerIds[slot] != id || timerTasks[slot] == null) {
            return false;
        }
        timerTasks[slot] = null;
        backend.cancelTimeout(tag(slot, TIMER));
        return true;
    }

    // ---- lifecycle, driven by RingServer

    /** Starts the thread; the future completes with the listener's address once the loop runs. */
    CompletableFuture<InetSocketAddress> start(InetSocketAddress listenAddress, EventLoop[] handOffTargets) {
        this.bindAddress = listenAddress;
        this.acceptTargets = handOffTargets;
        thread.start();
        return started;
    }

    void requestStop() {
        stopRequested = true;
        if (wakeupNeeded.compareAndSet(true, false) || !inLoop()) {
            IoBackend current = backend;
            if (current != null) {
                current.wakeup();
            }
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    boolean threadAlive() {
        return thread.isAlive();
    }

    long tag(int slot, int kind) {
        return ((long) slot << KIND_BITS) | kind;
    }

    void connectionFinished(int slot) {
        connections[slot] = null;
        freeSlots[freeSlotCount++] = slot;
        counters.add(LoopCounter.ACTIVE, -1);
        if (acceptPaused && acceptWanted()) {
            acceptPaused = false; // below the connection limit again
            if (!accepting) {
                armAccept();
            }
        }
    }

    /**
     * Starts a graceful shutdown on this loop (a task run on it): stop accepting and ask every
     * connection's handler to finish ({@link ConnectionHandler#onShutdown}).
     */
    void beginGracefulShutdown() {
        if (draining || stopping) {
            return;
        }
        draining = true;
        closeListener();
        for (Connection connection : connections) {
            if (connection != null) {
                try {
                    connection.shutdownRequested();
                } catch (Throwable t) {
                    log(System.Logger.Level.WARNING, "connection handler failed on shutdown; closing the connection", t);
                    connection.fail(t);
                }
            }
        }
    }

    // ---- the loop

    private void run() {
        try {
            if (!open()) {
                return;
            }
            started.complete(bindAddress == null ? null : backend.localAddress(listener));
            loop();
        } catch (Throwable t) {
            log(System.Logger.Level.ERROR, "event loop " + index + " failed", t);
            started.completeExceptionally(t);
        } finally {
            release();
            terminated.countDown();
        }
    }

    private boolean open() {
        try {
            // NATIVE: the loop's arena holds the outbound buffers; confined to this thread and closed in
            // release() after the backend, so no send can still read from it.
            arena = Arena.ofConfined();
            outbound = new BlockPool(arena, settings.outboundChunkSize(), settings.outboundPoolBytes());
            connections = new Connection[settings.maxConnectionsPerLoop()];
            freeSlots = new int[connections.length];
            for (int i = 0; i < connections.length; i++) {
                freeSlots[i] = connections.length - 1 - i;
            }
            freeSlotCount = connections.length;
            timerTasks = new Runnable[settings.maxTimersPerLoop()];
            timerIds = new long[timerTasks.length];
            freeTimers = new int[timerTasks.length];
            for (int i = 0; i < timerTasks.length; i++) {
                freeTimers[i] = timerTasks.length - 1 - i;
            }
            freeTimerCount = timerTasks.length;
            wheel = new TimerWheel(WHEEL_BUCKETS, WHEEL_TICK_NANOS, System.nanoTime());
            backend = settings.provider().create(settings.ioConfig());
            features = backend.features();
            if (bindAddress != null) {
                listener = backend.listen(bindAddress, settings.listenOptions());
                armAccept();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            started.completeExceptionally(e);
            return false;
        }
    }

    private void loop() throws IOException {
        while (true) {
            runTasks();
            if (stopRequested && !stopping) {
                beginStop();
            }
            if (stopping && (idle() || System.nanoTime() - stopDeadline > 0)) {
                if (!idle()) {
                    log(System.Logger.Level.WARNING, "event loop " + index + " stopped with "
                            + counters.get(LoopCounter.ACTIVE) + " connections still closing");
                }
                return;
            }
            long timeout = stopping ? TimeUnit.MILLISECONDS.toNanos(10) : -1;
            wakeupNeeded.set(true);
            if (!tasks.isEmpty() || (stopRequested && !stopping)) {
                timeout = 0;
            }
            backend.poll(dispatcher, timeout);
            wakeupNeeded.set(false);
        }
    }

    private void runTasks() {
        for (int i = 0; i < TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                log(System.Logger.Level.WARNING, "task on event loop " + index + " failed", t);
            }
        }
    }

    private void dispatch(long tag, int result, int flags) {
        int kind = (int) tag & ((1 << KIND_BITS) - 1);
        int slot = (int) (tag >>> KIND_BITS);
        switch (kind) {
            case ACCEPT -> acceptCompleted(result, flags);
            case RECV, WRITE, CLOSE -> connectionCompleted(connections[slot], kind, result, flags);
            case TIMER -> timerCompleted(slot, result);
            case LISTENER_CLOSE -> listenerClosing = false;
            default -> {
                // DISCARD: the close of a connection that was never served
            }
        }
    }

    private void connectionCompleted(Connection connection, int kind, int result, int flags) {
        try {
            switch (kind) {
                case RECV -> connection.recvCompleted(result, flags);
                case WRITE -> connection.writeCompleted(result);
                default -> connection.closeCompleted();
            }
        } catch (Throwable t) {
            log(System.Logger.Level.WARNING, "connection handler failed; closing the connection", t);
            connection.fail(t);
        }
    }

    // ---- accepting

    private void armAccept() {
        accepting = true;
        backend.accept(listener, tag(0, ACCEPT));
    }

    private void acceptCompleted(int result, int flags) {
        boolean more = Completions.hasMore(flags);
        if (!more) {
            accepting = false;
        }
        if (result >= 0) {
            acceptBackoffNanos = FIRST_BACKOFF_NANOS;
            accepted(result);
            if (!more && acceptWanted()) {
                armAccept();
            }
            return;
        }
        if (!acceptWanted() || more || (acceptPaused && result == -Errno.ECANCELED)) {
            return; // cancelled by a stop, a graceful shutdown or the connection limit
        }
        int errno = -result;
        if (errno == Errno.ECONNABORTED || errno == Errno.EINTR) {
            armAccept(); // the connection died in the backlog; nothing wrong with the listener
            return;
        }
        counters.increment(LoopCounter.ACCEPT_ERRORS);
        long delay = acceptBackoffNanos;
        acceptBackoffNanos = Math.min(MAX_BACKOFF_NANOS, acceptBackoffNanos * 2);
        if (counters.get(LoopCounter.ACCEPT_ERRORS) % 100 == 1) {
            log(System.Logger.Level.WARNING, "accept on event loop " + index + " failed with "
                    + Errno.describe(errno) + "; retrying in " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms"
                    + (Errno.isResourceExhaustion(errno) ? " (raise the open-file limit, ulimit -n)" : ""));
        }
        schedule(delay, TimeUnit.NANOSECONDS, () -> {
            if (acceptWanted() && !accepting && !acceptPaused) {
                armAccept();
            }
        });
    }

    /** Whether the listener is open and should be accepting (not stopping, not draining). */
    private boolean acceptWanted() {
        return !stopping && !draining && listener >= 0;
    }

    private void accepted(int handle) {
        if (acceptTargets != null && acceptTargets.length > 1) {
            EventLoop target = acceptTargets[nextTarget];
            nextTarget = (nextTarget + 1) % acceptTargets.length;
            if (target != this) {
                handOff(target, handle);
                return;
            }
        }
        serve(handle);
    }

    private void handOff(EventLoop target, int handle) {
        DetachedSocket socket = backend.detach(handle);
        try {
            target.execute(new AdoptTask(target, socket));
        } catch (RejectedExecutionException e) {
            counters.increment(LoopCounter.REJECTED);
            closeQuietly(socket);
        }
    }

    private void adopt(DetachedSocket socket) {
        if (stopping) {
            counters.increment(LoopCounter.REJECTED);
            closeQuietly(socket);
            return;
        }
        int handle;
        try {
            handle = backend.adopt(socket);
        } catch (IOException | RuntimeException e) {
            log(System.Logger.Level.WARNING, "event loop " + index + " could not adopt a connection", e);
            closeQuietly(socket);
            return;
        }
        serve(handle);
    }

    private void serve(int handle) {
        if (stopping || freeSlotCount == 0) {
            counters.increment(LoopCounter.REJECTED);
            backend.close(handle, tag(0, DISCARD));
            return;
        }
        int slot = freeSlots[--freeSlotCount];
        Connection connection = new Connection(this, backend, outbound, slot, handle, settings.maxOutboundBytes());
        connections[slot] = connection;
        counters.increment(LoopCounter.ACCEPTED);
        counters.increment(LoopCounter.ACTIVE);
        if (freeSlotCount == 0 && accepting && !acceptPaused && listener >= 0) {
            // At the connection limit: stop accepting; new connections wait in the kernel's backlog.
            acceptPaused = true;
            backend.cancel(listener, tag(0, ACCEPT));
        }
        try {
            connection.start(settings.handlerFactory().create(connection));
        } catch (Throwable t) {
            log(System.Logger.Level.WARNING, "connection handler failed to start; closing the connection", t);
            connection.fail(t);
        }
    }

    private static void closeQuietly(DetachedSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the socket is being discarded
        }
    }

    // ---- timers

    private void timerCompleted(int slot, int result) {
        Runnable task = timerTasks[slot];
        timerTasks[slot] = null;
        freeTimers[freeTimerCount++] = slot;
        pendingTimers--;
        if (task != null && result == -Errno.ETIME && !stopping) {
            try {
                task.run();
            } catch (Throwable t) {
                log(System.Logger.Level.WARNING, "scheduled task on event loop " + index + " failed", t);
            }
        }
    }

    // ---- stopping

    private void closeListener() {
        if (listener >= 0) {
            listenerClosing = true;
            backend.close(listener, tag(0, LISTENER_CLOSE));
            listener = -1;
        }
    }

    private void tickWheel() {
        wheelTicking = false;
        wheel.advance(System.nanoTime());
        if (wheel.size() > 0 && !stopping && !wheelTicking) { // a timeout that ran may have restarted the tick
            wheelTicking = true;
            schedule(wheel.tickNanos(), TimeUnit.NANOSECONDS, tickWheel);
        }
    }

    private void beginStop() {
        stopping = true;
        stopDeadline = System.nanoTime() + settings.stopTimeoutNanos();
        closeListener();
        for (int slot = 0; slot < timerTasks.length; slot++) {
            if (timerTasks[slot] != null) {
                timerTasks[slot] = null;
                backend.cancelTimeout(tag(slot, TIMER));
            }
        }
        for (Connection connection : connections) {
            if (connection != null) {
                connection.abort();
            }
        }
    }

    private boolean idle() {
        return counters.get(LoopCounter.ACTIVE) == 0 && !accepting && !listenerClosing && pendingTimers == 0;
    }

    private void release() {
        IoBackend current = backend;
        if (current != null) {
            current.close();
        }
        if (arena != null) {
            arena.close();
        }
        stopRequested = true;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            // Tasks that arrived during the stop: a hand-off closes its socket, others are dropped.
            if (task instanceof AdoptTask adoptTask) {
                closeQuietly(adoptTask.socket());
            }
        }
    }

    /**
     * Logs without ever throwing: a log call that fails (for example because formatting the time needs
     * a file while descriptors are exhausted) must not end the loop.
     */
    private static void log(System.Logger.Level level, String message) {
        log(level, message, null);
    }

    private static void log(System.Logger.Level level, String message, Throwable thrown) {
        try {
            if (thrown == null) {
                LOG.log(level, message);
            } else {
                LOG.log(level, message, thrown);
            }
        } catch (Throwable ignored) {
            // nothing sensible is left to do with a log record that cannot be written
        }
    }

    private void checkInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must be called on event loop " + index + "'s thread");
        }
    }

    /** A hand-off that still owns its socket. */
    private record AdoptTask(EventLoop target, DetachedSocket socket) implements Runnable {
        @Override
        public void run() {
            target.adopt(socket);
        }
    }
}

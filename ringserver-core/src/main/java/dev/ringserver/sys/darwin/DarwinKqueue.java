package dev.ringserver.sys.darwin;

import dev.ringserver.sys.Kqueue;
import dev.ringserver.sys.KqueueCalls;
import dev.ringserver.sys.KqueueAbi;
import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code kqueue()} and {@code kevent()} from macOS's libSystem, with the constants and layouts of
 * {@link DarwinAbi#KQUEUE}. glibc has neither symbol, so the class must only be initialised on macOS
 * (the kqueue backend checks {@code Platform.isMacSupported()} first). Thread-safe.
 */
public final class DarwinKqueue implements Kqueue {

    /** The one instance. */
    public static final DarwinKqueue INSTANCE = new DarwinKqueue();

    private static final MethodHandle KQUEUE = NativeCalls.downcall("kqueue", FunctionDescriptor.of(JAVA_INT));
    // int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent *eventlist,
    //            int nevents, const struct timespec *timeout)
    private static final MethodHandle KEVENT = NativeCalls.downcall("kevent",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));

    private DarwinKqueue() {
    }

    @Override
    public KqueueAbi abi() {
        return DarwinAbi.KQUEUE;
    }

    @Override
    public boolean closeRemovesRegistrations() {
        return true;
    }

    @Override
    public boolean changesMayShareWait() {
        return true;
    }

    @Override
    public int kqueue() {
        return KqueueCalls.kqueue(KQUEUE);
    }

    @Override
    public int kevent(int kq, MemorySegment changes, int nchanges, MemorySegment events, int nevents,
                      MemorySegment timeout) {
        return KqueueCalls.kevent(KEVENT, kq, changes, nchanges, events, nevents, timeout);
    }
}

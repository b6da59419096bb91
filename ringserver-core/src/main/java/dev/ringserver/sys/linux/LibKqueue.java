package dev.ringserver.sys.linux;

import dev.ringserver.sys.Kqueue;
import dev.ringserver.sys.KqueueCalls;
import dev.ringserver.sys.KqueueAbi;
import dev.ringserver.sys.NativeCalls;
import dev.ringserver.sys.Platform;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code kqueue()} and {@code kevent()} from libkqueue, the userspace library that implements the
 * kqueue API on Linux over epoll, eventfd and friends (Ubuntu's package {@code libkqueue0}; Debian dropped it),
 * with the values of {@link LibKqueueAbi#KQUEUE}. The library is loaded once, by its soname
 * {@value #SONAME}, through the dynamic linker's search path ({@code LD_LIBRARY_PATH}, the
 * {@code ld.so} cache). When it cannot be loaded, {@link #unavailableReason()} says so and how to
 * install it, and the functions must not be called.
 *
 * <p>Thread-safe: libkqueue locks each kqueue internally, so {@code kevent} may trigger a wake-up from
 * another thread.
 */
public final class LibKqueue implements Kqueue {

    /** The library's soname. */
    public static final String SONAME = "libkqueue.so.0";

    /** The one instance; usable only when {@link #unavailableReason()} is null. */
    public static final LibKqueue INSTANCE = new LibKqueue();

    private static final SymbolLookup LIBRARY;
    private static final String UNAVAILABLE;

    static {
        SymbolLookup library = null;
        String unavailable = null;
        if (!Platform.isLinuxSupported()) {
            unavailable = "libkqueue is used on Linux only; this is " + Platform.describe();
        } else {
            try {
                // NATIVE: loaded into the global arena, so the library stays mapped until the process
                // exits: the handles below are static and any event loop may call them until then.
                library = SymbolLookup.libraryLookup(SONAME, Arena.global());
            } catch (IllegalArgumentException e) {
                unavailable = "the kqueue backend runs on Linux over the libkqueue library, and " + SONAME
                        + " is not installed (or not on the dynamic linker's path): install it (on Ubuntu "
                        + "apt-get install libkqueue0; Debian no longer packages it, but Ubuntu's libkqueue0 "
                        + ".deb installs there), or use epoll";
            }
        }
        LIBRARY = library;
        UNAVAILABLE = unavailable;
    }

    private static final MethodHandle KQUEUE = LIBRARY == null ? null
            : NativeCalls.downcall(LIBRARY, SONAME, "kqueue", FunctionDescriptor.of(JAVA_INT));
    // int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent *eventlist,
    //            int nevents, const struct timespec *timeout)
    private static final MethodHandle KEVENT = LIBRARY == null ? null
            : NativeCalls.downcall(LIBRARY, SONAME, "kevent",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));

    private LibKqueue() {
    }

    /** Null when libkqueue is loaded; otherwise why not, and how to install it. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    @Override
    public KqueueAbi abi() {
        return LibKqueueAbi.KQUEUE;
    }

    @Override
    public boolean closeRemovesRegistrations() {
        return false;
    }

    @Override
    public boolean changesMayShareWait() {
        return false;
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

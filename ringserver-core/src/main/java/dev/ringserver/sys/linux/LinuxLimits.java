package dev.ringserver.sys.linux;

import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bindings to {@code getrlimit} and {@code setrlimit}, used to explain failures (a memlock limit too
 * low for io_uring) and by tests that provoke {@code EMFILE}. Thread-safe.
 */
public final class LinuxLimits {

    private static final MethodHandle GETRLIMIT = NativeCalls.downcall("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = NativeCalls.downcall("setrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** A resource limit; {@link LinuxAbi#RLIM_INFINITY} (-1) means unlimited. */
    public record Limit(long soft, long hard) {
    }

    private LinuxLimits() {
    }

    public static Limit get(int resource) throws ErrnoException {
        // NATIVE: a confined arena for the two-word struct; the call is synchronous.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(LinuxAbi.RLIMIT);
            MemorySegment errno = NativeCalls.errnoState();
            int rc;
            try {
                rc = (int) GETRLIMIT.invokeExact(errno, resource, limit);
            } catch (Throwable t) {
                throw NativeCalls.unexpected(t);
            }
            ErrnoException.check("getrlimit", NativeCalls.result(rc, errno));
            return new Limit(limit.get(JAVA_LONG, 0), limit.get(JAVA_LONG, 8));
        }
    }

    /** Sets a limit for the whole process. */
    public static void set(int resource, Limit value) throws ErrnoException {
        // NATIVE: a confined arena for the two-word struct; the call is synchronous.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(LinuxAbi.RLIMIT);
            limit.set(JAVA_LONG, 0, value.soft());
            limit.set(JAVA_LONG, 8, value.hard());
            MemorySegment errno = NativeCalls.errnoState();
            int rc;
            try {
                rc = (int) SETRLIMIT.invokeExact(errno, resource, limit);
            } catch (Throwable t) {
                throw NativeCalls.unexpected(t);
            }
            ErrnoException.check("setrlimit", NativeCalls.result(rc, errno));
        }
    }
}

package dev.ringserver.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Creates downcall handles into the C library and reads the {@code errno} they capture.
 *
 * <p>Every fallible call is linked with {@link Linker.Option#captureCallState(String...)
 * captureCallState("errno")}: the JVM may run code between the native call and a later read of
 * {@code errno}, so reading it any other way is unreliable. The capture segment is per thread (see
 * {@link #errnoState()}), which keeps the binding classes free of locks and safe to call from any
 * thread.
 *
 * <p>Binding classes call {@link #downcall} once per C function and keep the handle in a
 * {@code static final} field, so the JIT can inline the call.
 */
public final class NativeCalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // NATIVE: one capture segment per thread, from an automatic arena: the GC frees it once the
    // thread (and with it the ThreadLocal value) is gone. Only the owning thread reads or writes it.
    private static final ThreadLocal<MemorySegment> ERRNO_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private NativeCalls() {
    }

    /**
     * Links a C library function whose failures report {@code errno}. The returned handle takes the
     * capture segment from {@link #errnoState()} as its first argument.
     *
     * @param extra further options, for example {@link Linker.Option#firstVariadicArg(int)} for
     *              variadic functions such as {@code syscall}, {@code fcntl} and {@code open}
     */
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        return LINKER.downcallHandle(symbol(name), descriptor, withErrno(extra));
    }

    /**
     * As {@link #downcall(String, FunctionDescriptor, Linker.Option...)} for a function of another
     * library than the C library, such as libkqueue on Linux.
     *
     * @param library the library's symbols, from {@link SymbolLookup#libraryLookup}
     * @param libraryName the library's name, for the error when the symbol is missing
     */
    public static MethodHandle downcall(SymbolLookup library, String libraryName, String name,
                                        FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = library.find(name).orElseThrow(() ->
                new UnsatisfiedLinkError(libraryName + " has no function " + name));
        return LINKER.downcallHandle(symbol, descriptor, withErrno(extra));
    }

    private static Linker.Option[] withErrno(Linker.Option[] extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return options;
    }

    /** Whether the C library exports {@code name}; used to probe optional functions. */
    public static boolean hasSymbol(String name) {
        return LIBC.find(name).isPresent();
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() ->
                new UnsatisfiedLinkError("C library function " + name + " not found on " + Platform.describe()));
    }

    /** The calling thread's capture segment, to pass as the first argument of a downcall handle. */
    public static MemorySegment errnoState() {
        return ERRNO_STATE.get();
    }

    /** The {@code errno} captured by the calling thread's most recent downcall. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * Converts a C return value to the kernel convention used throughout ringserver: the value itself
     * when the call succeeded, {@code -errno} when it returned -1.
     */
    public static int result(int rc, MemorySegment state) {
        return rc == -1 ? -errno(state) : rc;
    }

    /** As {@link #result(int, MemorySegment)}, for calls returning {@code ssize_t} or {@code long}. */
    public static long result(long rc, MemorySegment state) {
        return rc == -1 ? -errno(state) : rc;
    }

    /**
     * For the {@code catch (Throwable t)} around {@code invokeExact}: runtime exceptions and errors pass
     * through unchanged; a checked throwable cannot come from a downcall and means a binding bug.
     */
    public static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}

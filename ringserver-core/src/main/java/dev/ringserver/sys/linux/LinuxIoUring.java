package dev.ringserver.sys.linux;

import dev.ringserver.sys.NativeCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The three io_uring system calls through the C library's variadic {@code syscall(2)}, without
 * liburing. Variadic arguments are passed as 64-bit values, which is what {@code syscall} reads; the
 * kernel truncates them to the declared parameter types. Results follow the {@link PosixSockets}
 * convention. Thread-safe, but a ring created with {@code SINGLE_ISSUER} must only be entered by its
 * owning thread.
 */
public final class LinuxIoUring {

    private static final MethodHandle SETUP = NativeCalls.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle ENTER = NativeCalls.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle REGISTER = NativeCalls.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    private LinuxIoUring() {
    }

    /** @return the ring's file descriptor, or -errno */
    public static int setup(int entries, MemorySegment params) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return (int) NativeCalls.result(
                    (long) SETUP.invokeExact(errno, IoUringAbi.SYS_IO_URING_SETUP, (long) entries, params), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /**
     * Submits {@code toSubmit} SQEs and, with {@link IoUringAbi#ENTER_GETEVENTS}, waits for
     * {@code minComplete} completions.
     *
     * @param fd the ring fd, or its registered index with {@link IoUringAbi#ENTER_REGISTERED_RING}
     * @param argument {@code io_uring_getevents_arg} with {@link IoUringAbi#ENTER_EXT_ARG}, else NULL
     * @return the number of SQEs consumed, or -errno ({@code -ETIME} when an EXT_ARG wait timed out)
     */
    public static int enter(int fd, int toSubmit, int minComplete, int flags, MemorySegment argument, long argumentSize) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return (int) NativeCalls.result((long) ENTER.invokeExact(errno, IoUringAbi.SYS_IO_URING_ENTER,
                    (long) fd, (long) toSubmit, (long) minComplete, (long) flags, argument, argumentSize), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }

    /** @return the opcode's result (0 or a count), or -errno */
    public static int register(int fd, int opcode, MemorySegment argument, int count) {
        MemorySegment errno = NativeCalls.errnoState();
        try {
            return (int) NativeCalls.result((long) REGISTER.invokeExact(errno, IoUringAbi.SYS_IO_URING_REGISTER,
                    (long) fd, (long) opcode, argument, (long) count), errno);
        } catch (Throwable t) {
            throw NativeCalls.unexpected(t);
        }
    }
}

package dev.ringserver.io.uring;

import dev.ringserver.sys.Errno;
import dev.ringserver.sys.ErrnoException;
import dev.ringserver.sys.Platform;
import dev.ringserver.sys.linux.LinuxAbi;
import dev.ringserver.sys.linux.LinuxIoUring;
import dev.ringserver.sys.linux.LinuxLimits;
import dev.ringserver.sys.linux.LinuxSocketSetup;
import dev.ringserver.sys.posix.PosixFiles;
import dev.ringserver.sys.posix.PosixSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import static dev.ringserver.sys.linux.IoUringAbi.*;

/**
 * Finds out what io_uring can do on this machine by trying it: creating rings with each optional
 * setup flag, asking the kernel which opcodes it supports, registering a small buffer ring, and
 * submitting multishot accept and receive to see whether they are refused. Nothing is inferred from
 * the kernel version. When io_uring cannot be used at all, the result explains why in words.
 *
 * <p>Runs once per process, off the event loops (it briefly waits for probe completions).
 */
final class IoUringProbe {

    /** The opcodes the backend cannot work without, with the kernel that introduced them. */
    private static final byte[] REQUIRED_OPS = {OP_NOP, OP_WRITEV, OP_POLL_ADD, OP_TIMEOUT, OP_ACCEPT,
            OP_ASYNC_CANCEL, OP_CLOSE, OP_READ, OP_SEND, OP_RECV};
    private static final String[] REQUIRED_OP_NAMES = {"NOP", "WRITEV", "POLL_ADD", "TIMEOUT", "ACCEPT",
            "ASYNC_CANCEL", "CLOSE", "READ", "SEND", "RECV"};

    /**
     * What the probe found.
     *
     * @param available whether a ring could be created and every required opcode exists
     * @param reason    why not, in words, when unavailable
     * @param features  optional features found, by the names {@link dev.ringserver.io.IoConfig} uses
     */
    record Result(boolean available, String reason, Set<String> features) {
    }

    private IoUringProbe() {
    }

    static Result run() {
        if (!Platform.isLinuxSupported()) {
            return unavailable("io_uring needs Linux on x86-64 or aarch64; this is " + Platform.describe());
        }
        Set<String> features = new LinkedHashSet<>();
        // NATIVE: every ring the probe creates maps into this confined arena and is closed before it.
        try (Arena arena = Arena.ofConfined()) {
            Ring ring;
            try {
                ring = Ring.create(arena, 4, 0, 0);
            } catch (ErrnoException e) {
                return unavailable(explainSetupFailure(e.errno(), readSysctl(), memlockKiB()));
            }
            try {
                String missing = missingOpcode(ring.fd, features);
                if (missing != null) {
                    return unavailable(missing);
                }
                if ((ring.features & FEAT_NODROP) != 0) {
                    features.add("nodrop");
                }
                if ((ring.features & FEAT_EXT_ARG) != 0) {
                    features.add("ext_arg");
                }
                if ((ring.features & FEAT_FAST_POLL) != 0) {
                    features.add("fast_poll");
                }
                if (BufferRing.supported(ring.fd)) {
                    features.add("buffer_ring");
                }
                if (ring.registerRingFd()) {
                    features.add("registered_ring");
                }
            } finally {
                ring.close();
            }
            try {
                Ring.create(arena, 4, 64, 0).close();
                features.add("cq_size");
            } catch (ErrnoException e) {
                // EINVAL: no IORING_SETUP_CQSIZE; the completion queue gets the kernel's default size
            }
            probeFlag(arena, SETUP_SINGLE_ISSUER, "single_issuer", features);
            if (features.contains("single_issuer")) {
                probeFlag(arena, SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN, "defer_taskrun", features);
            }
            probeFlag(arena, SETUP_COOP_TASKRUN | SETUP_TASKRUN_FLAG, "coop_taskrun", features);
            probeFlag(arena, SETUP_SUBMIT_ALL, "submit_all", features);
            probeFlag(arena, SETUP_NO_SQARRAY, "no_sqarray", features);
            if (multishotAccepted(arena, true)) {
                features.add("multishot_accept");
            }
            if (features.contains("buffer_ring") && multishotAccepted(arena, false)) {
                features.add("multishot_recv");
            }
        } catch (RuntimeException e) {
            return unavailable("probing io_uring failed: " + e);
        }
        return new Result(true, "available", java.util.Collections.unmodifiableSet(features));
    }

    /**
     * The cause and the fix for an {@code io_uring_setup} failure.
     *
     * @param sysctl     the content of {@code /proc/sys/kernel/io_uring_disabled}, or null if absent
     * @param memlockKiB the soft {@code RLIMIT_MEMLOCK} in KiB, or -1 if unknown or unlimited
     */
    static String explainSetupFailure(int errno, String sysctl, long memlockKiB) {
        String failed = "io_uring_setup failed with " + Errno.name(errno) + ": ";
        if (errno == Errno.EPERM) {
            if ("2".equals(sysctl)) {
                return failed + "kernel.io_uring_disabled=2 turns io_uring off for every process; "
                        + "set it to 0 (sysctl -w kernel.io_uring_disabled=0) or use epoll";
            }
            if ("1".equals(sysctl)) {
                return failed + "kernel.io_uring_disabled=1 allows io_uring only to members of kernel.io_uring_group "
                        + "or with CAP_SYS_ADMIN; add the user to that group, set the sysctl to 0, or use epoll";
            }
            return failed + "the container's seccomp profile blocks io_uring (the default since Docker 25 and "
                    + "containerd 1.7); run with --security-opt seccomp=unconfined or a profile that allows "
                    + "io_uring_setup, io_uring_enter and io_uring_register, or use epoll";
        }
        if (errno == Errno.ENOSYS) {
            return failed + "the kernel was built without io_uring (CONFIG_IO_URING) or a seccomp filter hides it; "
                    + "use epoll";
        }
        if (errno == Errno.ENOMEM) {
            String limit = memlockKiB >= 0 ? " (now " + memlockKiB + " KiB)" : "";
            return failed + "the locked-memory limit RLIMIT_MEMLOCK" + limit + " is too low for the rings; raise it "
                    + "(ulimit -l, LimitMEMLOCK= in systemd, --ulimit memlock= in Docker) or use epoll";
        }
        if (errno == Errno.EINVAL) {
            return failed + "the kernel's io_uring is too old for ringserver (Linux 5.19 or newer is needed); use epoll";
        }
        return failed + Errno.message(errno) + "; use epoll";
    }

    private static Result unavailable(String reason) {
        return new Result(false, reason, Set.of());
    }

    private static void probeFlag(Arena arena, int flags, String name, Set<String> features) {
        try {
            Ring ring = Ring.create(arena, 4, 0, flags);
            ring.close();
            features.add(name);
        } catch (ErrnoException e) {
            // EINVAL: this kernel does not know the flag; the backend runs without it.
        }
    }

    /**
     * Checks the required opcodes and adds the optional ones found to {@code features} ({@code splice}).
     *
     * @return why io_uring cannot be used, or null
     */
    private static String missingOpcode(int ringFd, Set<String> features) {
        int slots = 256;
        // NATIVE: the probe structure is filled during the synchronous register call.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probe = arena.allocate(PROBE_HEADER_SIZE + (long) PROBE_OP_SIZE * slots, 8);
            int rc = LinuxIoUring.register(ringFd, REGISTER_PROBE, probe, slots);
            if (rc < 0) {
                return "io_uring_register(PROBE) failed with " + Errno.name(-rc)
                        + ": the kernel's io_uring is too old (Linux 5.19 or newer is needed); use epoll";
            }
            int lastOp = Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, PROBE_LAST_OP));
            for (int i = 0; i < REQUIRED_OPS.length; i++) {
                if (!supported(probe, lastOp, REQUIRED_OPS[i])) {
                    return "the kernel's io_uring lacks IORING_OP_" + REQUIRED_OP_NAMES[i]
                            + " (Linux 5.19 or newer is needed); use epoll";
                }
            }
            if (!supported(probe, lastOp, OP_TIMEOUT_REMOVE)) {
                return "the kernel's io_uring lacks IORING_OP_TIMEOUT_REMOVE; use epoll";
            }
            if (supported(probe, lastOp, OP_SPLICE)) {
                features.add("splice");
            }
            return null;
        }
    }

    private static boolean supported(MemorySegment probe, int lastOp, byte op) {
        if (op > lastOp) {
            return false;
        }
        short flags = probe.get(ValueLayout.JAVA_SHORT, PROBE_HEADER_SIZE + (long) PROBE_OP_SIZE * op + PROBE_OP_FLAGS);
        return (flags & PROBE_OP_SUPPORTED) != 0;
    }

    /**
     * Submits a multishot accept (on a loopback listener) or a multishot buffer-select receive (on an
     * unconnected socket) and reports whether the kernel accepted the flags: kernels that do not know
     * them fail the SQE with {@code EINVAL} at once.
     */
    private static boolean multishotAccepted(Arena arena, boolean accept) {
        int socket;
        try {
            socket = accept
                    ? LinuxSocketSetup.openListener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, false)
                    : ErrnoException.check("socket", PosixSockets.socket(LinuxAbi.AF_INET,
                            LinuxAbi.SOCK_STREAM | LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC, 0));
        } catch (ErrnoException e) {
            return false;
        }
        Ring ring = null;
        try {
            ring = Ring.create(arena, 4, 0, 0);
            long sqe = ring.nextSqe();
            if (accept) {
                ring.prepare(sqe, OP_ACCEPT, (byte) 0, ACCEPT_MULTISHOT, socket, 0, 0, 0,
                        LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC, 1, (short) 0);
            } else {
                ring.prepare(sqe, OP_RECV, SQE_BUFFER_SELECT, RECV_MULTISHOT, socket, 0, 0, 0, 0, 1, (short) 1);
            }
            int toSubmit = ring.publish();
            if (ring.enter(toSubmit, 0, ENTER_GETEVENTS, MemorySegment.NULL, 0) < 0) {
                return false;
            }
            for (int attempt = 0; attempt < 20 && ring.cqEmpty(); attempt++) {
                Thread.sleep(1);
                ring.enter(0, 0, ENTER_GETEVENTS, MemorySegment.NULL, 0);
            }
            return ring.cqEmpty() || ring.cqeResult(ring.cqHead()) != -Errno.EINVAL;
        } catch (ErrnoException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (ring != null) {
                ring.close();
            }
            PosixFiles.close(socket);
        }
    }

    private static String readSysctl() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long memlockKiB() {
        try {
            long soft = LinuxLimits.get(LinuxAbi.RLIMIT_MEMLOCK).soft();
            return soft < 0 ? -1 : soft / 1024;
        } catch (ErrnoException e) {
            return -1;
        }
    }
}

package dev.ringserver.sys.linux;

import dev.ringserver.sys.Platform;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

class LinuxAbiTest {

    @Test
    void epollEventMatchesTheArchitecture() {
        assertThat(Platform.arch()).isIn(Platform.Arch.X86_64, Platform.Arch.AARCH64);
        if (Platform.arch() == Platform.Arch.X86_64) {
            assertThat(LinuxAbi.EPOLL_EVENT_SIZE).isEqualTo(12);
            assertThat(LinuxAbi.EPOLL_EVENT_DATA).isEqualTo(4);
        } else {
            assertThat(LinuxAbi.EPOLL_EVENT_SIZE).isEqualTo(16);
            assertThat(LinuxAbi.EPOLL_EVENT_DATA).isEqualTo(8);
        }
        assertThat(LinuxAbi.EPOLL_EVENT_EVENTS).isZero();
        assertThat(LinuxAbi.EPOLL_EVENT.byteSize()).isEqualTo(LinuxAbi.EPOLL_EVENT_SIZE);
    }

    @Test
    void sockaddrSizes() {
        assertThat(LinuxAbi.SOCKADDR_IN.byteSize()).isEqualTo(16);
        assertThat(LinuxAbi.SOCKADDR_IN6.byteSize()).isEqualTo(28);
        assertThat(LinuxAbi.SOCKADDR_STORAGE_SIZE).isEqualTo(128);
    }

    @Test
    void sockaddrFieldOffsets() {
        assertThat(LinuxAbi.SOCKADDR_IN.byteOffset(groupElement("sin_port"))).isEqualTo(2);
        assertThat(LinuxAbi.SOCKADDR_IN.byteOffset(groupElement("sin_addr"))).isEqualTo(4);
        assertThat(LinuxAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_port"))).isEqualTo(2);
        assertThat(LinuxAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_flowinfo"))).isEqualTo(4);
        assertThat(LinuxAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_addr"))).isEqualTo(8);
        assertThat(LinuxAbi.SOCKADDR_IN6.byteOffset(groupElement("sin6_scope_id"))).isEqualTo(24);
    }

    @Test
    void iovecLayout() {
        assertThat(LinuxAbi.IOVEC_SIZE).isEqualTo(16);
        assertThat(LinuxAbi.IOVEC_BASE).isZero();
        assertThat(LinuxAbi.IOVEC_LEN).isEqualTo(8);
    }

    @Test
    void smallStructSizes() {
        assertThat(LinuxAbi.LINGER.byteSize()).isEqualTo(8);
        assertThat(LinuxAbi.RLIMIT.byteSize()).isEqualTo(16);
        assertThat(LinuxAbi.KERNEL_TIMESPEC.byteSize()).isEqualTo(16);
        assertThat(LinuxAbi.KERNEL_TIMESPEC.byteOffset(groupElement("tv_nsec"))).isEqualTo(8);
    }

    @Test
    void ioUringSqeLayout() {
        assertThat(IoUringAbi.SQE_SIZE).isEqualTo(64);
        assertThat(IoUringAbi.SQE_OPCODE).isZero();
        assertThat(IoUringAbi.SQE_FD).isEqualTo(4);
        assertThat(IoUringAbi.SQE_ADDR).isEqualTo(16);
        assertThat(IoUringAbi.SQE_LEN).isEqualTo(24);
        assertThat(IoUringAbi.SQE_USER_DATA).isEqualTo(32);
    }

    @Test
    void ioUringSpliceFields() {
        // struct io_uring_sqe: off (off_out) at 8, splice_off_in shares addr at 16, splice_flags shares
        // the op_flags union at 28, splice_fd_in at 44 (after buf_index and personality).
        assertThat(IoUringAbi.OP_SPLICE).isEqualTo((byte) 30);
        assertThat(IoUringAbi.SQE_OFF).isEqualTo(8);
        assertThat(IoUringAbi.SQE_SPLICE_OFF_IN).isEqualTo(IoUringAbi.SQE_ADDR);
        assertThat(IoUringAbi.SQE_OP_FLAGS).isEqualTo(28);
        assertThat(IoUringAbi.SQE_SPLICE_FD_IN).isEqualTo(44);
        assertThat(IoUringAbi.SPLICE_F_FD_IN_FIXED).isEqualTo(0x8000_0000);
        assertThat(LinuxAbi.SPLICE_F_MOVE).isEqualTo(1);
        assertThat(LinuxAbi.SPLICE_F_NONBLOCK).isEqualTo(2);
        assertThat(LinuxAbi.SPLICE_F_MORE).isEqualTo(4);
        assertThat(LinuxAbi.F_SETPIPE_SZ).isEqualTo(1031);
        assertThat(LinuxAbi.F_GETPIPE_SZ).isEqualTo(1032);
    }

    @Test
    void fcntlCommands() {
        // <asm-generic/fcntl.h>
        assertThat(LinuxAbi.F_GETFL).isEqualTo(3);
        assertThat(LinuxAbi.F_SETFL).isEqualTo(4);
        // <linux/fcntl.h>: F_LINUX_SPECIFIC_BASE (1024) + 6
        assertThat(LinuxAbi.F_DUPFD_CLOEXEC).isEqualTo(1030);
    }

    @Test
    void ioUringCqeLayout() {
        assertThat(IoUringAbi.CQE_SIZE).isEqualTo(16);
        assertThat(IoUringAbi.CQE_USER_DATA).isZero();
        assertThat(IoUringAbi.CQE_RES).isEqualTo(8);
        assertThat(IoUringAbi.CQE_FLAGS).isEqualTo(12);
    }

    @Test
    void ioUringParamsAndAuxiliaryStructSizes() {
        assertThat(IoUringAbi.PARAMS_SIZE).isEqualTo(120);
        assertThat(IoUringAbi.BUF_SIZE).isEqualTo(16);
        assertThat(IoUringAbi.BUF_RING_TAIL).isEqualTo(14);
        assertThat(IoUringAbi.GETEVENTS_ARG_SIZE).isEqualTo(24);
    }
}

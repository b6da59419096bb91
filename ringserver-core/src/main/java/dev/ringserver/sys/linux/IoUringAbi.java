package dev.ringserver.sys.linux;

/**
 * The io_uring user-space ABI ({@code <linux/io_uring.h>}): syscall numbers, setup/enter/register
 * flags, opcodes, and byte offsets into {@code io_uring_params}, SQEs, CQEs and buffer rings. The
 * values are identical on x86-64 and aarch64. Thread-safe: constants only.
 */
public final class IoUringAbi {

    // Syscall numbers: the unified table used by every architecture since io_uring appeared (5.1).
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;

    // io_uring_setup flags
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_CLAMP = 1 << 4;
    public static final int SETUP_R_DISABLED = 1 << 6;
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    public static final int SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;
    public static final int SETUP_NO_SQARRAY = 1 << 16;

    // io_uring_params.features
    public static final int FEAT_SINGLE_MMAP = 1;
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int FEAT_FAST_POLL = 1 << 5;
    public static final int FEAT_EXT_ARG = 1 << 8;

    // io_uring_enter flags
    public static final int ENTER_GETEVENTS = 1;
    public static final int ENTER_EXT_ARG = 1 << 3;
    public static final int ENTER_REGISTERED_RING = 1 << 4;

    // io_uring_register opcodes
    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_ENABLE_RINGS = 12;
    public static final int REGISTER_RING_FDS = 20;
    public static final int UNREGISTER_RING_FDS = 21;
    public static final int REGISTER_PBUF_RING = 22;
    public static final int UNREGISTER_PBUF_RING = 23;

    // Opcodes
    public static final byte OP_NOP = 0;
    public static final byte OP_WRITEV = 2;
    public static final byte OP_POLL_ADD = 6;
    public static final byte OP_TIMEOUT = 11;
    public static final byte OP_TIMEOUT_REMOVE = 12;
    public static final byte OP_ACCEPT = 13;
    public static final byte OP_ASYNC_CANCEL = 14;
    public static final byte OP_CLOSE = 19;
    public static final byte OP_READ = 22;
    public static final byte OP_SEND = 26;
    public static final byte OP_RECV = 27;
    public static final byte OP_SPLICE = 30;
    /** One past the highest opcode this class names; the probe asks for this many entries at least. */
    public static final int OP_COUNT_KNOWN = 31;

    // SQE flags
    public static final byte SQE_IO_LINK = 1 << 2;
    public static final byte SQE_IO_HARDLINK = 1 << 3;
    public static final byte SQE_BUFFER_SELECT = 1 << 5;
    public static final byte SQE_CQE_SKIP_SUCCESS = 1 << 6;

    // sqe.ioprio for accept/recv/send
    public static final short ACCEPT_MULTISHOT = 1;
    public static final short RECVSEND_POLL_FIRST = 1;
    public static final short RECV_MULTISHOT = 1 << 1;

    // sqe.splice_flags (op_flags) for SPLICE, besides the SPLICE_F_* flags of LinuxAbi
    /** {@code SPLICE_F_FD_IN_FIXED}: {@code splice_fd_in} is an index into the registered files. */
    public static final int SPLICE_F_FD_IN_FIXED = 1 << 31;

    // sqe.op_flags for ASYNC_CANCEL
    public static final int ASYNC_CANCEL_ALL = 1;
    public static final int ASYNC_CANCEL_FD = 1 << 1;
    public static final int ASYNC_CANCEL_ANY = 1 << 2;

    // CQE flags
    public static final int CQE_F_BUFFER = 1;
    public static final int CQE_F_MORE = 1 << 1;
    public static final int CQE_BUFFER_SHIFT = 16;

    // SQ ring kernel flags
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    public static final int SQ_TASKRUN = 1 << 2;

    // mmap offsets
    public static final long OFF_SQ_RING = 0L;
    public static final long OFF_CQ_RING = 0x8000000L;
    public static final long OFF_SQES = 0x10000000L;

    /** {@code sizeof(struct io_uring_params)}. */
    public static final int PARAMS_SIZE = 120;
    public static final long PARAMS_SQ_ENTRIES = 0;
    public static final long PARAMS_CQ_ENTRIES = 4;
    public static final long PARAMS_FLAGS = 8;
    public static final long PARAMS_FEATURES = 20;
    /** {@code struct io_sqring_offsets sq_off}: head, tail, ring_mask, ring_entries, flags, dropped, array. */
    public static final long PARAMS_SQ_OFF = 40;
    /** {@code struct io_cqring_offsets cq_off}: head, tail, ring_mask, ring_entries, overflow, cqes, flags. */
    public static final long PARAMS_CQ_OFF = 80;
    public static final long RING_OFF_HEAD = 0;
    public static final long RING_OFF_TAIL = 4;
    public static final long RING_OFF_MASK = 8;
    public static final long RING_OFF_ENTRIES = 12;
    public static final long SQ_OFF_FLAGS = 16;
    public static final long SQ_OFF_ARRAY = 24;
    public static final long CQ_OFF_OVERFLOW = 16;
    public static final long CQ_OFF_CQES = 20;

    /** {@code struct io_uring_sqe}: 64 bytes. */
    public static final int SQE_SIZE = 64;
    public static final long SQE_OPCODE = 0;
    public static final long SQE_FLAGS = 1;
    public static final long SQE_IOPRIO = 2;
    public static final long SQE_FD = 4;
    public static final long SQE_OFF = 8;
    public static final long SQE_ADDR = 16;
    public static final long SQE_LEN = 24;
    public static final long SQE_OP_FLAGS = 28;
    public static final long SQE_USER_DATA = 32;
    public static final long SQE_BUF_GROUP = 40;
    /** {@code splice_off_in} shares the word of {@code addr}. */
    public static final long SQE_SPLICE_OFF_IN = 16;
    public static final long SQE_SPLICE_FD_IN = 44;
    public static final long SQE_ADDR3 = 48;

    /** {@code struct io_uring_cqe}: 16 bytes. */
    public static final int CQE_SIZE = 16;
    public static final long CQE_USER_DATA = 0;
    public static final long CQE_RES = 8;
    public static final long CQE_FLAGS = 12;

    /** {@code struct io_uring_buf}: 16 bytes; the ring's tail overlays the first entry's {@code resv}. */
    public static final int BUF_SIZE = 16;
    public static final long BUF_ADDR = 0;
    public static final long BUF_LEN = 8;
    public static final long BUF_BID = 12;
    public static final long BUF_RING_TAIL = 14;

    /** {@code struct io_uring_buf_reg}: 40 bytes. */
    public static final int BUF_REG_SIZE = 40;
    public static final long BUF_REG_RING_ADDR = 0;
    public static final long BUF_REG_RING_ENTRIES = 8;
    public static final long BUF_REG_BGID = 12;

    /** {@code struct io_uring_probe}: a 16-byte header, then 8-byte {@code io_uring_probe_op}s. */
    public static final int PROBE_HEADER_SIZE = 16;
    public static final int PROBE_OP_SIZE = 8;
    public static final long PROBE_LAST_OP = 0;
    public static final long PROBE_OP_FLAGS = 2;
    public static final int PROBE_OP_SUPPORTED = 1;

    /** {@code struct io_uring_getevents_arg}: sigmask, sigmask_sz, min_wait_usec, ts: 24 bytes. */
    public static final int GETEVENTS_ARG_SIZE = 24;
    public static final long GETEVENTS_ARG_TS = 16;

    /** {@code struct io_uring_rsrc_update}: offset, resv, data: 16 bytes. */
    public static final int RSRC_UPDATE_SIZE = 16;

    private IoUringAbi() {
    }
}

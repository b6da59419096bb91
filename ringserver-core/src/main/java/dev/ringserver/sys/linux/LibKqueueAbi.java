package dev.ringserver.sys.linux;

import dev.ringserver.sys.KqueueAbi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The kqueue constants and layouts of libkqueue on Linux, as its {@code <sys/event.h>} defines them
 * (installed as {@code /usr/include/kqueue/sys/event.h} by {@code libkqueue-dev}; version 2.3.1, the
 * one Ubuntu packages). They follow FreeBSD, not macOS: {@code EVFILT_USER} is -11 here, -10 on
 * macOS. {@code struct kevent} has macOS's field order and sizes but natural alignment (no
 * {@code #pragma pack}), still 32 bytes on x86-64 and aarch64. {@code LibKqueueAbiTest} pins each
 * value. Thread-safe: constants only.
 */
public final class LibKqueueAbi {

    public static final int EVFILT_READ = -1;
    public static final int EVFILT_WRITE = -2;
    public static final int EVFILT_USER = -11;
    public static final int EV_ADD = 0x0001;
    public static final int EV_DELETE = 0x0002;
    public static final int EV_ENABLE = 0x0004;
    public static final int EV_DISABLE = 0x0008;
    public static final int EV_ONESHOT = 0x0010;
    public static final int EV_CLEAR = 0x0020;
    public static final int EV_RECEIPT = 0x0040;
    public static final int EV_DISPATCH = 0x0080;
    public static final int EV_ERROR = 0x4000;
    public static final int EV_EOF = 0x8000;
    public static final int NOTE_TRIGGER = 0x01000000;

    /**
     * {@code struct kevent}: {@code uintptr_t ident; short filter; unsigned short flags;
     * unsigned int fflags; intptr_t data; void *udata}, 32 bytes, naturally aligned.
     */
    public static final StructLayout KEVENT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("ident"),
            ValueLayout.JAVA_SHORT.withName("filter"),
            ValueLayout.JAVA_SHORT.withName("flags"),
            ValueLayout.JAVA_INT.withName("fflags"),
            ValueLayout.JAVA_LONG.withName("data"),
            ValueLayout.JAVA_LONG.withName("udata"));

    /** The kqueue values of libkqueue's {@code <sys/event.h>}, for the shared kqueue poller. */
    public static final KqueueAbi KQUEUE = new KqueueAbi("libkqueue <sys/event.h>", EVFILT_READ, EVFILT_WRITE,
            EVFILT_USER, EV_ADD, EV_DELETE, EV_CLEAR, EV_RECEIPT, EV_EOF, EV_ERROR, NOTE_TRIGGER, KEVENT,
            LinuxAbi.KERNEL_TIMESPEC);

    private LibKqueueAbi() {
    }
}

package dev.ringserver.sys;

import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The values a kqueue poller needs from one kqueue implementation's {@code <sys/event.h>}: filter and
 * flag constants and the layout of {@code struct kevent} and {@code struct timespec}. The values
 * themselves are defined, and pinned by tests, in the ABI class of their OS: {@code DarwinAbi.KQUEUE}
 * for macOS, {@code LibKqueueAbi.KQUEUE} for libkqueue on Linux. They differ ({@code EVFILT_USER} is
 * -10 on macOS, -11 in libkqueue, which follows FreeBSD), so a poller never hard-codes one.
 *
 * <p>Flags are {@code uint16_t} in C and are held here as non-negative ints; read them from a kevent
 * with {@link Short#toUnsignedInt}. Immutable.
 *
 * @param source      where the values come from, for messages (for example {@code macOS <sys/event.h>})
 * @param filterRead  {@code EVFILT_READ}
 * @param filterWrite {@code EVFILT_WRITE}
 * @param filterUser  {@code EVFILT_USER}
 * @param evAdd       {@code EV_ADD}
 * @param evDelete    {@code EV_DELETE}
 * @param evClear     {@code EV_CLEAR}: edge-triggered, the state resets once reported
 * @param evReceipt   {@code EV_RECEIPT}: report every change's result, without collecting events
 * @param evEof       {@code EV_EOF}
 * @param evError     {@code EV_ERROR}: {@code data} holds an errno for a change that failed
 * @param noteTrigger {@code NOTE_TRIGGER}, for {@code EVFILT_USER}
 * @param kevent      {@code struct kevent} with fields ident, filter, flags, fflags, data, udata
 * @param timespec    {@code struct timespec} with fields tv_sec, tv_nsec
 */
public record KqueueAbi(String source, int filterRead, int filterWrite, int filterUser, int evAdd, int evDelete,
                        int evClear, int evReceipt, int evEof, int evError, int noteTrigger, StructLayout kevent,
                        StructLayout timespec) {

    /** Bytes per {@code struct kevent}. */
    public long keventSize() {
        return kevent.byteSize();
    }

    /** The byte offset of {@code field} in {@code struct kevent}. */
    public long offset(String field) {
        return kevent.byteOffset(groupElement(field));
    }
}

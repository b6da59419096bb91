package dev.ringserver.sys.linux;

import dev.ringserver.sys.KqueueAbi;
import dev.ringserver.sys.darwin.DarwinAbi;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins every {@link LibKqueueAbi} value to libkqueue's {@code <sys/event.h>} (version 2.3.1, installed
 * by {@code libkqueue-dev} as {@code /usr/include/kqueue/sys/event.h}). Constant tables, not live
 * calls: runs on every OS.
 */
class LibKqueueAbiTest {

    @Test
    void filtersFollowFreeBsdNotMacOs() {
        assertThat(LibKqueueAbi.EVFILT_READ).isEqualTo(-1);
        assertThat(LibKqueueAbi.EVFILT_WRITE).isEqualTo(-2);
        // EVFILT_LIO is -10 in libkqueue (FreeBSD), so EVFILT_USER is -11; macOS numbers it -10.
        assertThat(LibKqueueAbi.EVFILT_USER).isEqualTo(-11).isNotEqualTo(DarwinAbi.EVFILT_USER);
    }

    @Test
    void flagsMatchTheHeader() {
        assertThat(LibKqueueAbi.EV_ADD).isEqualTo(0x0001);
        assertThat(LibKqueueAbi.EV_DELETE).isEqualTo(0x0002);
        assertThat(LibKqueueAbi.EV_ENABLE).isEqualTo(0x0004);
        assertThat(LibKqueueAbi.EV_DISABLE).isEqualTo(0x0008);
        assertThat(LibKqueueAbi.EV_ONESHOT).isEqualTo(0x0010);
        assertThat(LibKqueueAbi.EV_CLEAR).isEqualTo(0x0020);
        assertThat(LibKqueueAbi.EV_RECEIPT).isEqualTo(0x0040);
        assertThat(LibKqueueAbi.EV_DISPATCH).isEqualTo(0x0080);
        assertThat(LibKqueueAbi.EV_ERROR).isEqualTo(0x4000);
        assertThat(LibKqueueAbi.EV_EOF).isEqualTo(0x8000);
        assertThat(LibKqueueAbi.NOTE_TRIGGER).isEqualTo(0x01000000);
    }

    @Test
    void keventHasMacOsFieldsWithNaturalAlignment() {
        // struct kevent { uintptr_t ident; short filter; unsigned short flags; unsigned int fflags;
        //                 intptr_t data; void *udata; }: no #pragma pack, 8-byte aligned, 32 bytes.
        assertThat(LibKqueueAbi.KEVENT.byteSize()).isEqualTo(32);
        assertThat(LibKqueueAbi.KEVENT.byteAlignment()).isEqualTo(8);
        assertThat(LibKqueueAbi.KEVENT.byteOffset(groupElement("filter"))).isEqualTo(8);
        assertThat(LibKqueueAbi.KEVENT.byteOffset(groupElement("flags"))).isEqualTo(10);
        assertThat(LibKqueueAbi.KEVENT.byteOffset(groupElement("fflags"))).isEqualTo(12);
        assertThat(LibKqueueAbi.KEVENT.byteOffset(groupElement("data"))).isEqualTo(16);
        assertThat(LibKqueueAbi.KEVENT.byteOffset(groupElement("udata"))).isEqualTo(24);
    }

    @Test
    void kqueueAbiCarriesTheLibkqueueValues() {
        KqueueAbi abi = LibKqueueAbi.KQUEUE;

        assertThat(abi.filterUser()).isEqualTo(-11);
        assertThat(abi.evClear()).isEqualTo(0x0020);
        assertThat(abi.evReceipt()).isEqualTo(0x0040);
        assertThat(abi.evEof()).isEqualTo(0x8000);
        assertThat(abi.evError()).isEqualTo(0x4000);
        assertThat(abi.noteTrigger()).isEqualTo(0x01000000);
        assertThat(abi.keventSize()).isEqualTo(32);
        // glibc's struct timespec on 64-bit Linux: time_t tv_sec, long tv_nsec.
        assertThat(abi.timespec().byteSize()).isEqualTo(16);
        assertThat(abi.timespec().byteOffset(groupElement("tv_nsec"))).isEqualTo(8);
    }
}

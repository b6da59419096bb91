package dev.ringserver.sys;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformTest {

    @Test
    void recognisesTheOsNamesTheJdkReports() {
        assertThat(Platform.detectOs("Linux")).isEqualTo(Platform.Os.LINUX);
        assertThat(Platform.detectOs("Mac OS X")).isEqualTo(Platform.Os.MAC);
        assertThat(Platform.detectOs("Darwin")).isEqualTo(Platform.Os.MAC);
        assertThat(Platform.detectOs("Windows 11")).isEqualTo(Platform.Os.OTHER);
        assertThat(Platform.detectOs("FreeBSD")).isEqualTo(Platform.Os.OTHER);
    }

    @Test
    void recognisesBothSpellingsOfEachArchitecture() {
        assertThat(Platform.detectArch("amd64")).isEqualTo(Platform.Arch.X86_64);
        assertThat(Platform.detectArch("x86_64")).isEqualTo(Platform.Arch.X86_64);
        assertThat(Platform.detectArch("aarch64")).isEqualTo(Platform.Arch.AARCH64);
        assertThat(Platform.detectArch("arm64")).isEqualTo(Platform.Arch.AARCH64);
        assertThat(Platform.detectArch("ppc64le")).isEqualTo(Platform.Arch.OTHER);
    }

    @Test
    void atMostOneNativeLayerApplies() {
        assertThat(Platform.isLinuxSupported() && Platform.isMacSupported()).isFalse();
        assertThat(Platform.isMacSupported()).isEqualTo(Platform.os() == Platform.Os.MAC
                && Platform.arch() != Platform.Arch.OTHER);
    }

    @Test
    void errnoUsesTheRunningOsNumbering() {
        int expectedEagain = Platform.os() == Platform.Os.MAC ? 35 : 11;
        assertThat(Errno.EAGAIN).isEqualTo(expectedEagain);
        assertThat(Errno.name(Errno.EAGAIN)).isEqualTo("EAGAIN");
        assertThat(Errno.name(Errno.ECONNRESET)).isEqualTo("ECONNRESET");
    }
}

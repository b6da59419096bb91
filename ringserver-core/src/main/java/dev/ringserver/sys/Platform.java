package dev.ringserver.sys;

import java.util.Locale;

/**
 * The operating system and CPU architecture this JVM runs on, decided once at class initialisation.
 *
 * <p>Native bindings and layouts are chosen from these values; everything that differs by OS or
 * architecture is kept in one ABI class per OS ({@code dev.ringserver.sys.linux.LinuxAbi},
 * {@code dev.ringserver.sys.darwin.DarwinAbi}). The JDK reports macOS as {@code os.name} "Mac OS X"
 * on both Apple silicon and Intel. Thread-safe: immutable.
 */
public final class Platform {

    /** Operating systems ringserver knows how to drive natively. */
    public enum Os { LINUX, MAC, OTHER }

    /** CPU architectures whose layouts ringserver knows. */
    public enum Arch { X86_64, AARCH64, OTHER }

    private static final Os OS = detectOs(System.getProperty("os.name", ""));
    private static final Arch ARCH = detectArch(System.getProperty("os.arch", ""));

    private Platform() {
    }

    public static Os os() {
        return OS;
    }

    public static Arch arch() {
        return ARCH;
    }

    public static boolean isLinux() {
        return OS == Os.LINUX;
    }

    /** True where the Linux bindings can be used: Linux on a 64-bit architecture whose layouts we know. */
    public static boolean isLinuxSupported() {
        return OS == Os.LINUX && ARCH != Arch.OTHER;
    }

    /**
     * True where the Darwin bindings can be used: macOS on arm64 or x86-64, both LP64 with the same
     * layouts for every struct ringserver passes to libSystem.
     */
    public static boolean isMacSupported() {
        return OS == Os.MAC && ARCH != Arch.OTHER;
    }

    /** A short description such as {@code linux/x86_64}, for log lines and error messages. */
    public static String describe() {
        return OS.name().toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch", "?");
    }

    static Os detectOs(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return Os.LINUX;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return Os.MAC;
        }
        return Os.OTHER;
    }

    static Arch detectArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> Arch.X86_64;
            case "aarch64", "arm64" -> Arch.AARCH64;
            default -> Arch.OTHER;
        };
    }
}

package dev.ringserver.io;

import dev.ringserver.io.epoll.EpollProvider;
import dev.ringserver.io.kqueue.KqueueProvider;
import dev.ringserver.io.nio.NioProvider;
import dev.ringserver.io.uring.IoUringProvider;
import dev.ringserver.sys.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The known backends and the choice between them. {@code auto} takes the first available backend among
 * the OS's candidates ({@link #autoCandidates()}: io_uring, epoll, nio on Linux; kqueue, nio on macOS)
 * and explains why better ones were skipped; a backend named explicitly must be available or selection
 * fails with the probe's reason. Thread-safe.
 */
public final class Backends {

    /** The name that selects automatically. */
    public static final String AUTO = "auto";

    private static final List<IoBackendProvider> PREFERENCE = List.of(
            IoUringProvider.INSTANCE, EpollProvider.INSTANCE, KqueueProvider.INSTANCE, NioProvider.INSTANCE);

    /**
     * A chosen backend.
     *
     * @param provider    the backend
     * @param explanation why it was chosen, naming skipped backends and their reasons
     */
    public record Selection(IoBackendProvider provider, String explanation) {
    }

    private Backends() {
    }

    /** Every backend this build knows, best first. */
    public static List<IoBackendProvider> all() {
        return PREFERENCE;
    }

    /** The backends {@code auto} tries on this OS, best first. */
    public static List<IoBackendProvider> autoCandidates() {
        return autoCandidates(Platform.os());
    }

    /**
     * The backends {@code auto} tries on {@code os}: each OS's native backends, then NIO. On Linux that
     * excludes kqueue, which runs there only over libkqueue, an emulation on top of epoll.
     */
    static List<IoBackendProvider> autoCandidates(Platform.Os os) {
        return switch (os) {
            case LINUX -> List.of(IoUringProvider.INSTANCE, EpollProvider.INSTANCE, NioProvider.INSTANCE);
            case MAC -> List.of(KqueueProvider.INSTANCE, NioProvider.INSTANCE);
            case OTHER -> List.of(NioProvider.INSTANCE);
        };
    }

    /** The backend called {@code name}; {@code io-uring} and {@code iouring} also name io_uring. */
    public static IoBackendProvider byName(String name) {
        String normalized = name.toLowerCase(Locale.ROOT).replace('-', '_');
        if (normalized.equals("iouring")) {
            normalized = "io_uring";
        }
        for (IoBackendProvider provider : PREFERENCE) {
            if (provider.name().equals(normalized)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "': expected auto, "
                + String.join(", ", PREFERENCE.stream().map(IoBackendProvider::name).toList()));
    }

    /**
     * Chooses the backend called {@code requested}, or the best available for {@code auto}.
     *
     * @throws BackendUnavailableException when the named backend cannot run here
     * @throws IllegalArgumentException    for an unknown name
     */
    public static Selection select(String requested) {
        if (!requested.equalsIgnoreCase(AUTO)) {
            IoBackendProvider provider = byName(requested);
            Availability availability = provider.availability();
            if (!availability.available()) {
                throw new BackendUnavailableException(provider.name(), availability.reason());
            }
            return new Selection(provider, provider.name() + " requested explicitly");
        }
        List<String> skipped = new ArrayList<>();
        for (IoBackendProvider provider : autoCandidates()) {
            Availability availability = provider.availability();
            if (availability.available()) {
                String explanation = "auto chose " + provider.name()
                        + (skipped.isEmpty() ? ", the preferred backend" : "; skipped " + String.join("; ", skipped));
                return new Selection(provider, explanation);
            }
            skipped.add(provider.name() + " (" + availability.reason() + ")");
        }
        throw new IllegalStateException("no backend available: " + String.join("; ", skipped));
    }
}

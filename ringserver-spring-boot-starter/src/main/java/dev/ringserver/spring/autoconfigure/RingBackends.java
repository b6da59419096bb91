package dev.ringserver.spring.autoconfigure;

import dev.ringserver.io.Availability;
import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.io.Backends;
import dev.ringserver.io.IoBackendProvider;
import dev.ringserver.sys.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The backend names an application may configure and whether each can run on this machine.
 *
 * <p>These are the core's backends (io_uring, epoll, nio) plus {@code kqueue}: a name users will
 * reasonably try on macOS, which has no implementation yet. Treating it as a known backend that is
 * unavailable (rather than an unknown word) lets the failure say why and what to use instead.
 *
 * <p>Thread-safe: stateless; the core caches each probe, so repeated calls are cheap.
 */
public final class RingBackends {

    /** The name of a backend this build knows but does not implement. */
    public static final String KQUEUE = "kqueue";

    /** Every name {@code ringserver.backend} accepts, {@code auto} first, then in auto's preference order. */
    public static final List<String> NAMES = List.of(Backends.AUTO, "io_uring", "epoll", KQUEUE, "nio");

    /**
     * One backend's probe result.
     *
     * @param name      the backend's name
     * @param available whether it can run here
     * @param reason    why not (with the fix), or {@code available}
     * @param features  the features the probe found; empty when unavailable
     */
    public record Probe(String name, boolean available, String reason, List<String> features) {

        static Probe of(String name, Availability availability) {
            List<String> features = availability.features().isBlank() ? List.of()
                    : List.of(availability.features().split(","));
            return new Probe(name, availability.available(), availability.reason(), features);
        }
    }

    private RingBackends() {
    }

    /**
     * The canonical spelling of a backend name: lower case, with {@code io-uring} and {@code iouring}
     * meaning {@code io_uring}.
     *
     * @throws UnknownBackendException when {@code name} is none of {@link #NAMES}
     */
    public static String canonicalName(String name) {
        String normalized = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (normalized.equals("iouring")) {
            normalized = "io_uring";
        }
        if (!NAMES.contains(normalized)) {
            throw new UnknownBackendException(name, NAMES);
        }
        return normalized;
    }

    /**
     * Checks that {@code name} is {@code auto} or a backend that can run here, before anything is
     * started, so that a wrong choice fails with the probe's reason rather than half-way through
     * start-up.
     *
     * @return the canonical name
     * @throws UnknownBackendException     when the name is not a backend
     * @throws BackendUnavailableException when the backend cannot run on this machine
     */
    public static String requireUsable(String name) {
        String canonical = canonicalName(name);
        if (canonical.equals(Backends.AUTO)) {
            return canonical;
        }
        Availability availability = availability(canonical);
        if (!availability.available()) {
            throw new BackendUnavailableException(canonical, availability.reason());
        }
        return canonical;
    }

    /** Every backend's probe result, in the order {@code auto} tries them. Probes on first use. */
    public static List<Probe> probeAll() {
        List<Probe> probes = new ArrayList<>();
        for (String name : NAMES) {
            if (!name.equals(Backends.AUTO)) {
                probes.add(Probe.of(name, availability(name)));
            }
        }
        return probes;
    }

    /** The names of the backends that can run here, in preference order. */
    public static List<String> availableNames() {
        return probeAll().stream().filter(Probe::available).map(Probe::name).toList();
    }

    /** Whether {@code name} (canonical) is a backend here or only a known name. */
    static Availability availability(String canonical) {
        if (canonical.equals(KQUEUE)) {
            return kqueueAvailability();
        }
        IoBackendProvider provider = Backends.byName(canonical);
        return provider.availability();
    }

    private static Availability kqueueAvailability() {
        if (Platform.os() == Platform.Os.MAC) {
            return Availability.unavailable("this version of ringserver has no kqueue backend yet; on macOS use nio "
                    + "(auto chooses it)");
        }
        return Availability.unavailable("kqueue exists only on macOS and the BSDs; this is " + Platform.describe());
    }
}

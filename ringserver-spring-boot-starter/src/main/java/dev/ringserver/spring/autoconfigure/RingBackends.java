package dev.ringserver.spring.autoconfigure;

import dev.ringserver.io.Availability;
import dev.ringserver.io.BackendUnavailableException;
import dev.ringserver.io.Backends;
import dev.ringserver.io.IoBackendProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The backend names an application may configure ({@code auto} and the core's backends: io_uring,
 * epoll, kqueue, nio) and whether each can run on this machine.
 *
 * <p>Thread-safe: stateless; the core caches each probe, so repeated calls are cheap.
 */
public final class RingBackends {

    /** Every name {@code ringserver.backend} accepts: {@code auto} first, then the backends best first. */
    public static final List<String> NAMES = Stream.concat(Stream.of(Backends.AUTO),
            Backends.all().stream().map(IoBackendProvider::name)).toList();

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

    /** Every backend's probe result, best first. Probes on first use. */
    public static List<Probe> probeAll() {
        List<Probe> probes = new ArrayList<>();
        for (String name : NAMES) {
            if (!name.equals(Backends.AUTO)) {
                probes.add(Probe.of(name, availability(name)));
            }
        }
        return probes;
    }

    /** The backend {@code auto} chooses on this machine. */
    public static String autoChoice() {
        return Backends.select(Backends.AUTO).provider().name();
    }

    /** The names of the backends that can run here, in preference order. */
    public static List<String> availableNames() {
        return probeAll().stream().filter(Probe::available).map(Probe::name).toList();
    }

    /** Whether the backend {@code canonical} can run here. */
    static Availability availability(String canonical) {
        return Backends.byName(canonical).availability();
    }
}

package dev.ringserver.spring.autoconfigure;

import java.util.List;

/**
 * {@code ringserver.backend} (or the factory's backend) names no backend at all. Reported at start-up
 * by {@link UnknownBackendFailureAnalyzer}.
 */
public final class UnknownBackendException extends IllegalArgumentException {

    private final String backend;
    private final List<String> knownNames;

    public UnknownBackendException(String backend, List<String> knownNames) {
        super("unknown ringserver backend '" + backend + "': expected one of " + String.join(", ", knownNames));
        this.backend = backend;
        this.knownNames = List.copyOf(knownNames);
    }

    /** The name as configured. */
    public String backend() {
        return backend;
    }

    /** The names that would have been accepted. */
    public List<String> knownNames() {
        return knownNames;
    }
}

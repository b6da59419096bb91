package dev.ringserver.io;

/**
 * A backend was requested by name but cannot run here. The message names the backend, the cause
 * found by the probe, and what to do instead.
 */
public final class BackendUnavailableException extends RuntimeException {

    private final String backend;
    private final String reason;

    public BackendUnavailableException(String backend, String reason) {
        super("backend " + backend + " is unavailable: " + reason
                + ". Choose another backend (auto picks the best available one).");
        this.backend = backend;
        this.reason = reason;
    }

    /** The requested backend's name. */
    public String backend() {
        return backend;
    }

    /** The probe's explanation of why it cannot run. */
    public String reason() {
        return reason;
    }
}

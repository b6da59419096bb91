package dev.ringserver.io;

/**
 * Whether a backend can run here, found by a real probe (for io_uring: creating a ring).
 *
 * @param available whether {@link IoBackendProvider#create} can succeed
 * @param reason    when unavailable, the cause and the fix in words; when available, a short note
 * @param features  the features the probe found, comma-separated (empty when unavailable)
 */
public record Availability(boolean available, String reason, String features) {

    public static Availability available(String features) {
        return new Availability(true, "available", features);
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason, "");
    }
}

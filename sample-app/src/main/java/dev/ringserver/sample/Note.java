package dev.ringserver.sample;

import java.time.Instant;

/**
 * A note as the API returns it.
 *
 * @param id        assigned by the store, from 1
 * @param title     never blank
 * @param text      may be empty
 * @param createdAt when it was stored
 */
public record Note(long id, String title, String text, Instant createdAt) {
}

package dev.ringserver.sample;

import java.time.Instant;

/**
 * The data of one {@code /events} event.
 *
 * @param sequence the event's number, also its SSE id
 * @param time     when the server sent it
 */
public record Tick(long sequence, Instant time) {
}

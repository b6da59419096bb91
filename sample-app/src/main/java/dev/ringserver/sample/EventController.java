package dev.ringserver.sample;

import jakarta.validation.constraints.Positive;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;

/**
 * Server-sent events: a {@code tick} every {@code sample.events.interval} (one second unless set), each
 * written to the client as it happens. {@code ?count=N} ends the stream after N events; without it the
 * stream runs until the client goes away. A client that reconnects with {@code Last-Event-ID} carries
 * on after that event.
 */
@RestController
public class EventController {

    private final Duration interval;

    public EventController(@Value("${sample.events.interval:1s}") Duration interval) {
        this.interval = interval;
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Tick>> events(@RequestParam(required = false) @Positive Long count,
            @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        long first = lastEventId == null ? 1 : lastEventId + 1;
        Flux<ServerSentEvent<Tick>> ticks = Flux.interval(Duration.ZERO, interval)
                .map(n -> first + n)
                .map(sequence -> ServerSentEvent.builder(new Tick(sequence, Instant.now()))
                        .id(Long.toString(sequence))
                        .event("tick")
                        .build());
        return count == null ? ticks : ticks.take(count);
    }
}

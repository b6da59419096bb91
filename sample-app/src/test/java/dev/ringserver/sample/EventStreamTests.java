package dev.ringserver.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.util.function.Tuple2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /events}: server-sent events reach the client one by one as they are sent (every 200 ms
 * here), not all at once when the stream ends, and {@code count} ends the stream.
 */
@SampleAppTest
class EventStreamTests {

    private static final ParameterizedTypeReference<ServerSentEvent<Tick>> TICK_EVENT =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    private WebTestClient client;

    @Test
    void eventsArriveOneByOneAndTheStreamEndsAfterCount() {
        FluxExchangeResult<ServerSentEvent<Tick>> result = client.get().uri("/events?count=5")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(TICK_EVENT);

        // Each event with the client's clock when it arrived.
        List<Tuple2<Long, ServerSentEvent<Tick>>> arrivals = new ArrayList<>();
        StepVerifier.create(result.getResponseBody().timestamp())
                .recordWith(() -> arrivals)
                .expectNextCount(5)
                .expectComplete()
                .verify(Duration.ofSeconds(20));

        List<ServerSentEvent<Tick>> events = arrivals.stream().map(Tuple2::getT2).toList();
        assertThat(events).extracting(ServerSentEvent::id).containsExactly("1", "2", "3", "4", "5");
        assertThat(events).extracting(ServerSentEvent::event).containsOnly("tick");
        assertThat(events).extracting(event -> event.data().sequence()).containsExactly(1L, 2L, 3L, 4L, 5L);
        // Sent 200 ms apart: had the server held them back until the end, they would arrive together.
        long firstToLast = arrivals.getLast().getT1() - arrivals.getFirst().getT1();
        assertThat(firstToLast).as("ms between the first and the last event's arrival").isGreaterThanOrEqualTo(400);
        assertThat(events.getLast().data().time()).isAfter(events.getFirst().data().time());
    }

    @Test
    void theFirstEventArrivesLongBeforeTheStreamEnds() {
        // A stream of 25 events takes about 5 s; the first must not wait for the rest.
        Flux<ServerSentEvent<Tick>> body = client.get().uri("/events?count=25")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(TICK_EVENT).getResponseBody();

        StepVerifier.create(body.take(1))
                .assertNext(event -> assertThat(event.id()).isEqualTo("1"))
                .expectComplete()
                .verify(Duration.ofSeconds(3));
    }

    @Test
    void aReconnectingClientCarriesOnAfterItsLastEventId() {
        Flux<ServerSentEvent<Tick>> body = client.get().uri("/events?count=2")
                .header("Last-Event-ID", "41")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(TICK_EVENT).getResponseBody();

        StepVerifier.create(body.map(ServerSentEvent::id))
                .expectNext("42", "43")
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aCountBelowOneIs400() {
        // Asked for with Accept: text/event-stream, Spring writes the problem as an event; curl's */* gets JSON.
        client.get().uri("/events?count=0").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors.count").isNotEmpty();
    }
}

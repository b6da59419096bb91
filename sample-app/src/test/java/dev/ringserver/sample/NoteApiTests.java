package dev.ringserver.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON resource: list, read one, create, and the problem details for 400 and 404. */
@SampleAppTest
class NoteApiTests {

    @Autowired
    private WebTestClient client;

    @Test
    void listsTheNotes() {
        List<Note> notes = client.get().uri("/api/notes").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(new ParameterizedTypeReference<List<Note>>() {
                }).returnResult().getResponseBody();

        assertThat(notes).isNotNull().extracting(Note::id).startsWith(1L, 2L);
        assertThat(notes.getFirst().title()).isEqualTo("Hello");
    }

    @Test
    void readsOneNote() {
        client.get().uri("/api/notes/2").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(2)
                .jsonPath("$.title").isEqualTo("ringserver")
                .jsonPath("$.createdAt").isNotEmpty();
    }

    @Test
    void createsANoteAndReadsItBack() {
        Note created = client.post().uri("/api/notes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "  Groceries ", "text", "milk, eggs")).exchange()
                .expectStatus().isCreated()
                .expectBody(Note.class).returnResult().getResponseBody();

        assertThat(created).isNotNull();
        assertThat(created.id()).isGreaterThan(2);
        assertThat(created.title()).isEqualTo("Groceries");
        assertThat(created.text()).isEqualTo("milk, eggs");

        client.get().uri("/api/notes/{id}", created.id()).exchange()
                .expectStatus().isOk()
                .expectBody(Note.class).isEqualTo(created);
        client.get().uri("/api/notes").exchange()
                .expectBody(new ParameterizedTypeReference<List<Note>>() {
                }).value(notes -> assertThat(notes).contains(created));
    }

    @Test
    void theLocationHeaderNamesTheNewNote() {
        var result = client.post().uri("/api/notes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "Located")).exchange()
                .expectStatus().isCreated()
                .expectBody(Note.class).returnResult();

        assertThat(result.getResponseHeaders().getLocation()).isNotNull()
                .hasPath("/api/notes/" + result.getResponseBody().id());
        assertThat(result.getResponseBody().text()).isEmpty();
    }

    @Test
    void anInvalidNoteIs400WithAProblemDetailNamingTheField() {
        client.post().uri("/api/notes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", " ", "text", "no title")).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.title").isEqualTo("Bad Request")
                .jsonPath("$.instance").isEqualTo("/api/notes")
                .jsonPath("$.errors.title").isNotEmpty()
                .jsonPath("$.errors.text").doesNotExist();
    }

    @Test
    void aTitleTooLongIs400() {
        client.post().uri("/api/notes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "x".repeat(101))).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.title").isNotEmpty();
    }

    @Test
    void malformedJsonIs400WithAProblemDetail() {
        client.post().uri("/api/notes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\": ").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(400);
    }

    @Test
    void anUnknownIdIs404WithAProblemDetail() {
        client.get().uri("/api/notes/999999").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.title").isEqualTo("Note not found")
                .jsonPath("$.detail").isEqualTo("There is no note with id 999999.")
                .jsonPath("$.instance").isEqualTo("/api/notes/999999")
                .jsonPath("$.id").isEqualTo(999999);
    }

    @Test
    void anIdThatIsNoNumberIs400() {
        client.get().uri("/api/notes/abc").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}

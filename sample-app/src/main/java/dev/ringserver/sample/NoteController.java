package dev.ringserver.sample;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.List;

/**
 * A small JSON resource: list, read one, create. Unknown ids answer 404 and invalid input 400, both
 * as {@code application/problem+json}.
 */
@RestController
@RequestMapping("/api/notes")
public class NoteController {

    private final NoteStore store;

    public NoteController(NoteStore store) {
        this.store = store;
    }

    @GetMapping
    public List<Note> list() {
        return store.all();
    }

    @GetMapping("/{id}")
    public Note get(@PathVariable long id) {
        return store.find(id).orElseThrow(() -> new NoteNotFoundException(id));
    }

    @PostMapping
    public ResponseEntity<Note> create(@Valid @RequestBody NewNote newNote, UriComponentsBuilder uris) {
        Note note = store.add(newNote);
        return ResponseEntity.created(uris.path("/api/notes/{id}").build(note.id())).body(note);
    }
}

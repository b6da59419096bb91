package dev.ringserver.sample;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notes, in memory, ordered by id; two are there from the start. Thread-safe: requests on every
 * event loop use it at once.
 */
@Component
public class NoteStore {

    private final Map<Long, Note> notes = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Clock clock;

    public NoteStore() {
        this(Clock.systemUTC());
    }

    NoteStore(Clock clock) {
        this.clock = clock;
        add(new NewNote("Hello", "This note came from the in-memory store."));
        add(new NewNote("ringserver", "Served over io_uring, epoll or NIO, whichever this machine has."));
    }

    public List<Note> all() {
        return List.copyOf(notes.values());
    }

    public Optional<Note> find(long id) {
        return Optional.ofNullable(notes.get(id));
    }

    public Note add(NewNote newNote) {
        long id = nextId.getAndIncrement();
        Note note = new Note(id, newNote.title().strip(), newNote.text() == null ? "" : newNote.text(),
                Instant.now(clock));
        notes.put(id, note);
        return note;
    }
}

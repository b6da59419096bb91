package dev.ringserver.sample;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No note has the id asked for: 404 with a problem detail. */
public class NoteNotFoundException extends ErrorResponseException {

    public NoteNotFoundException(long id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(long id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no note with id " + id + ".");
        problem.setTitle("Note not found");
        problem.setProperty("id", id);
        return problem;
    }
}

package dev.ringserver.sample;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/notes}. Checked with Bean Validation; a violation answers 400 with a
 * problem detail naming each field ({@link ApiExceptionHandler}).
 */
public record NewNote(@NotBlank @Size(max = 100) String title, @Size(max = 10_000) String text) {
}

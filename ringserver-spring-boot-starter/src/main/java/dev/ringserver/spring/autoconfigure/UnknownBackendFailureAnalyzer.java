package dev.ringserver.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

import java.util.List;

/**
 * Explains a start-up that failed because {@code ringserver.backend} names no backend: the
 * description shows the value and where it was set, the action lists the accepted names and which of
 * them can run here.
 *
 * <p>Registered in {@code META-INF/spring.factories}; Boot creates it with the failed context's
 * {@link Environment} (null when the context was never created).
 */
public class UnknownBackendFailureAnalyzer extends AbstractFailureAnalyzer<UnknownBackendException> {

    private final Environment environment;

    public UnknownBackendFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownBackendException cause) {
        StringBuilder description = new StringBuilder("ringserver cannot start: '").append(cause.backend())
                .append("' is not a ringserver backend.\n");
        BackendProperty.describe(environment, cause.backend(), description);
        List<String> available = RingBackends.availableNames();
        String action = "Set ringserver.backend to one of " + String.join(", ", cause.knownNames())
                + ". auto chooses the best backend that works on this machine; of the others, "
                + (available.isEmpty() ? "none" : String.join(", ", available)) + " can run here.";
        return new FailureAnalysis(description.toString(), action, cause);
    }
}

package dev.ringserver.spring.reactive;

import dev.ringserver.io.Availability;
import dev.ringserver.io.Backends;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class only where the named backend can run, and skips it otherwise with the probe's
 * reason. Evaluated before Spring's extension loads the application context, so a class for an
 * unavailable backend never tries to start one.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RequiresBackend.Condition.class)
@interface RequiresBackend {

    /** The backend: io_uring, epoll, kqueue or nio. */
    String value();

    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return AnnotationSupport.findAnnotation(context.getElement(), RequiresBackend.class)
                    .map(required -> {
                        Availability availability = Backends.byName(required.value()).availability();
                        return availability.available()
                                ? ConditionEvaluationResult.enabled(required.value() + " is available")
                                : ConditionEvaluationResult.disabled(required.value() + " is unavailable here: "
                                        + availability.reason());
                    })
                    .orElse(ConditionEvaluationResult.enabled("no backend required"));
        }
    }
}

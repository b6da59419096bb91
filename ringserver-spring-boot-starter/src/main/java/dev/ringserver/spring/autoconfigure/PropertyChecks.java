package dev.ringserver.spring.autoconfigure;

import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

import java.time.Duration;

/**
 * Range checks for {@link RingServerProperties}, recorded as field errors so that Boot reports each
 * one with the property's name, value and origin.
 */
final class PropertyChecks {

    private static final String CODE = "ringserver.range";

    private PropertyChecks() {
    }

    static void range(Errors errors, String field, long value, long min, long max, String expected) {
        if (value < min || value > max) {
            errors.rejectValue(field, CODE, "must be " + expected);
        }
    }

    static void powerOfTwo(Errors errors, String field, int value, int min, int max) {
        if (value < min || value > max || Integer.bitCount(value) != 1) {
            errors.rejectValue(field, CODE, "must be a power of two from " + min + " to " + max);
        }
    }

    static void size(Errors errors, String field, DataSize value, long minBytes, long maxBytes) {
        if (value == null) {
            errors.rejectValue(field, CODE, "must be set");
        } else if (value.toBytes() < minBytes || value.toBytes() > maxBytes) {
            errors.rejectValue(field, CODE, "must be " + describe(minBytes, maxBytes));
        }
    }

    static void positive(Errors errors, String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            errors.rejectValue(field, CODE, "must be a positive duration, for example 30s");
        }
    }

    private static String describe(long minBytes, long maxBytes) {
        if (maxBytes == Long.MAX_VALUE) {
            return "at least " + minBytes + "B";
        }
        if (maxBytes == Integer.MAX_VALUE) {
            return "from " + minBytes + "B to " + maxBytes + "B (just under 2GB)";
        }
        return "from " + minBytes + "B to " + maxBytes + "B";
    }
}

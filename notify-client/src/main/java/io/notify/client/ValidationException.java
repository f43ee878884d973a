package io.notify.client;

import java.util.List;
import java.util.Map;

/** 400: the request is invalid; {@link #violations()} names each field as the JSON spells it. */
public class ValidationException extends NotifyException {

    /** One invalid field: {@code audience.user_ids[0]}, in {@code body}, and why. */
    public record Violation(String field, String in, String message) {
    }

    private final List<Violation> violations;

    public ValidationException(String type, String title, String detail, String instance,
            Map<String, Object> extensions, List<Violation> violations) {
        super(400, type, title, detail, instance, extensions);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}

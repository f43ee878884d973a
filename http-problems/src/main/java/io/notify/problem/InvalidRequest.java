package io.notify.problem;

import java.util.List;

import jakarta.validation.ValidationException;

/**
 * A request found invalid by a service's own check (not a constraint annotation), with its {@link Violation}s already
 * located: {@link ViolationProblems.Located} answers them as they are. A {@code ValidationException}, not a
 * {@code ConstraintViolationException}: Quarkus' endpoint validation rethrows a {@code ConstraintViolationException}
 * leaving a resource method as a new one with its constraint violations only, which lost the located ones (a 400 with
 * an empty {@code violations} list).
 */
public class InvalidRequest extends ValidationException {

    private final transient List<Violation> violations;

    public InvalidRequest(List<Violation> violations) {
        super(Violation.describe(violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}

package io.notify.problem;

import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;

/**
 * A request found invalid outside a resource method (a service's own validation step), with its {@link Violation}s
 * already located: {@link ViolationProblems} answers them as they are.
 */
public class InvalidRequest extends ConstraintViolationException {

    private final transient List<Violation> violations;

    public InvalidRequest(Set<? extends ConstraintViolation<?>> constraintViolations, List<Violation> violations) {
        super(Violation.describe(violations), constraintViolations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}

package io.notify.notification;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.OffsetDateTime;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A time (null: none given) after now and at most {@link #days()} days ahead: a scheduled send's {@code send_at}, a
 * snooze's {@code until}. The violation says which of the two it is not.
 */
@Documented
@Constraint(validatedBy = FutureWithin.Validator.class)
@Target({ FIELD, PARAMETER, RECORD_COMPONENT })
@Retention(RUNTIME)
public @interface FutureWithin {

    /** How many days ahead it may be. */
    int days();

    String message() default "must be in the future and at most {days} days ahead";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<FutureWithin, OffsetDateTime> {
        private int days;

        @Override
        public void initialize(FutureWithin annotation) {
            days = annotation.days();
        }

        @Override
        public boolean isValid(OffsetDateTime at, ConstraintValidatorContext context) {
            if (at == null) {
                return true;
            }
            OffsetDateTime now = OffsetDateTime.now();
            String problem = !at.isAfter(now) ? "must be in the future"
                    : at.isAfter(now.plusDays(days)) ? "must be at most " + days + " days ahead" : null;
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}

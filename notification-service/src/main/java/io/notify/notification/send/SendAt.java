package io.notify.notification.send;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** When a scheduled send may be due: after now, at most {@link #MAX_AHEAD} ahead. */
public final class SendAt {

    /** How far ahead a send may be scheduled. */
    public static final Duration MAX_AHEAD = Duration.ofDays(366);

    private SendAt() {
    }

    /** A {@code send_at} (null: send now) in the future and at most 366 days ahead. */
    @Documented
    @Constraint(validatedBy = Window.Validator.class)
    @Target({ FIELD, PARAMETER, RECORD_COMPONENT })
    @Retention(RUNTIME)
    public @interface Window {

        String message() default "must be in the future and at most 366 days ahead";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<Window, OffsetDateTime> {
            @Override
            public boolean isValid(OffsetDateTime sendAt, ConstraintValidatorContext context) {
                if (sendAt == null) {
                    return true;
                }
                OffsetDateTime now = OffsetDateTime.now();
                String problem = !sendAt.isAfter(now) ? "must be in the future"
                        : sendAt.isAfter(now.plus(MAX_AHEAD)) ? "must be at most 366 days ahead" : null;
                if (problem == null) {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
                return false;
            }
        }
    }
}

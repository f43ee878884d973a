package io.notify.notification.inbox;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotNull;

/** {@code POST /{id}/snooze}'s body: until when the notification is out of the list and the counts. */
@Schema(example = "{\"until\": \"2026-12-07T09:00:00Z\"}")
public record Snooze(@NotNull @Window @Schema(description = "When it comes back, unread (ISO-8601 with an offset): "
        + "in the future, at most 30 days ahead", example = "2026-12-07T09:00:00Z") OffsetDateTime until) {

    /** How far ahead a notification may be snoozed. */
    public static final Duration MAX_AHEAD = Duration.ofDays(30);

    /** In the future and at most {@link #MAX_AHEAD} ahead. */
    @Documented
    @Constraint(validatedBy = Window.Validator.class)
    @Target({ FIELD, PARAMETER, RECORD_COMPONENT })
    @Retention(RUNTIME)
    public @interface Window {

        String message() default "must be in the future and at most 30 days ahead";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<Window, OffsetDateTime> {
            @Override
            public boolean isValid(OffsetDateTime until, ConstraintValidatorContext context) {
                OffsetDateTime now = OffsetDateTime.now();
                return until == null || (until.isAfter(now) && !until.isAfter(now.plus(MAX_AHEAD)));
            }
        }
    }
}

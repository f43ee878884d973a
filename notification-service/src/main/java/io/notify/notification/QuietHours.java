package io.notify.notification;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.ZoneId;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A user's quiet hours: from {@code start} to {@code end} (local wall-clock times, {@code HH:mm}) in an IANA time
 * zone, across midnight when {@code end} is before {@code start}. During them notifications that are not urgent are
 * still stored, counted and pushed, but pushed with {@code "silent": true} (no toast). {@code start} equal to
 * {@code end} is refused (a window of no length or of a whole day would both be a guess).
 */
@RegisterForReflection
@QuietHours.Window
@Schema(name = "QuietHours", description = "From `start` to `end` (HH:mm, 24 h, wall-clock time in `timezone`, "
        + "across midnight when end < start; start == end is refused) pushes that are not urgent are silent.",
        example = "{\"start\": \"22:00\", \"end\": \"07:00\", \"timezone\": \"Europe/Berlin\"}")
public record QuietHours(
        @NotNull @Pattern(regexp = TIME, message = "must be a time HH:mm (00:00 to 23:59)") String start,
        @NotNull @Pattern(regexp = TIME, message = "must be a time HH:mm (00:00 to 23:59)") String end,
        @NotNull @Schema(description = "An IANA time zone id", example = "Europe/Berlin") String timezone) {

    static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";

    /** An IANA zone (a region id such as {@code Europe/Berlin}, not an offset), and a window of some length. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = Window.Validator.class)
    public @interface Window {

        String message() default "invalid quiet hours";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<Window, QuietHours> {

            @Override
            public boolean isValid(QuietHours q, ConstraintValidatorContext context) {
                if (q == null) {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                boolean valid = true;
                if (q.timezone() != null && !ZoneId.getAvailableZoneIds().contains(q.timezone())) {
                    context.buildConstraintViolationWithTemplate("must be an IANA time zone id, such as Europe/Berlin")
                            .addPropertyNode("timezone").addConstraintViolation();
                    valid = false;
                }
                if (q.start() != null && q.start().equals(q.end())) {
                    context.buildConstraintViolationWithTemplate("must differ from start")
                            .addPropertyNode("end").addConstraintViolation();
                    valid = false;
                }
                return valid;
            }
        }
    }
}

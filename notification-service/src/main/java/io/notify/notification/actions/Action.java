package io.notify.notification.actions;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.notify.notification.NoNul;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A button a notification carries (issue 25): the reader completes one of them with
 * {@code POST /api/notifications/{id}/actions/{actionId}}. Stored with the notification ({@code notifications.actions},
 * jsonb, V28) in the order sent, with its style defaulted.
 */
@RegisterForReflection
@Schema(description = "A button on the notification; the reader completes one of them.", requiredProperties = { "id",
        "label" }, example = """
        {"id": "approve", "label": "Approve", "style": "primary"}""")
public record Action(
        @NotNull @Pattern(regexp = ID, message = ID_MESSAGE)
        @Schema(description = "Unique within the notification; what the completion names", example = "approve") String id,
        @NotBlank @Size(max = 40) @NoNul @Schema(description = "What the button says", example = "Approve") String label,
        @Pattern(regexp = "primary|secondary|danger", message = "must be one of primary, secondary, danger")
        @Schema(enumeration = { "primary", "secondary", "danger" }, defaultValue = SECONDARY) String style) {

    /** What an action id may be: it goes into a URL path as is. */
    public static final String ID = "[A-Za-z0-9][A-Za-z0-9_-]{0,39}";
    public static final String ID_MESSAGE = "must be 1 to 40 letters, digits, _ or -, starting with a letter or digit";
    public static final int MOST = 3;
    static final String SECONDARY = "secondary";

    /** As stored and shown: the style defaulted. */
    public Action withDefaults() {
        return style != null ? this : new Action(id, label, SECONDARY);
    }

    /** The actions as stored (null: none). */
    public static List<Action> stored(List<Action> actions) {
        return actions == null || actions.isEmpty() ? null : actions.stream().map(Action::withDefaults).toList();
    }

    /** The action with this id, or null. */
    public static Action named(List<Action> actions, String id) {
        return actions == null ? null : actions.stream().filter(a -> Objects.equals(a.id(), id)).findFirst().orElse(null);
    }

    /** No two actions of a notification share an id (the completion names one). */
    @Documented
    @Constraint(validatedBy = UniqueIds.Validator.class)
    @Target({ FIELD, PARAMETER, RECORD_COMPONENT })
    @Retention(RUNTIME)
    public @interface UniqueIds {

        String message() default "action ids must be unique";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<UniqueIds, List<Action>> {
            @Override
            public boolean isValid(List<Action> actions, ConstraintValidatorContext context) {
                if (actions == null) {
                    return true;
                }
                Set<String> ids = new HashSet<>();
                return actions.stream().allMatch(a -> a == null || a.id() == null || ids.add(a.id()));
            }
        }
    }
}

package io.notify.notification;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A user's notification types, on or off. A type switched off is neither pushed nor counted as
 * unread; {@code urgent} notifications get through regardless.
 */
@RegisterForReflection
@Schema(description = "Notification types switched on (true) or off (false). Types not listed are on.",
        example = "{\"types\": {\"meeting\": true, \"info\": false}}")
public record Preferences(
        @NotNull @Size(max = 200)
        Map<@NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be lower_snake_case, at most 64 characters") String,
            @NotNull Boolean> types) {
}

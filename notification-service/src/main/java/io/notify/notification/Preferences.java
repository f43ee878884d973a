package io.notify.notification;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A user's notification types, on or off, and their quiet hours. A type switched off is neither pushed nor counted
 * as unread; {@code urgent} notifications get through regardless, and are never silent.
 */
@RegisterForReflection
@Schema(description = "Notification types switched on (true) or off (false); types not listed are on. `quiet_hours`: "
        + "absent when there are none.",
        example = "{\"types\": {\"meeting\": true, \"info\": false}, "
                + "\"quiet_hours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"timezone\": \"Europe/Berlin\"}}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Preferences(
        @NotNull @Size(max = 200)
        Map<@NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be lower_snake_case, at most 64 characters") String,
            @NotNull Boolean> types,
        @JsonProperty("quiet_hours") @Valid
        @Schema(description = "When pushes are silent. In a change: replaces the stored quiet hours when given, keeps "
                + "them when absent or null (`DELETE /api/notifications/preferences/quiet-hours` removes them).")
        QuietHours quietHours) {

    public Preferences(Map<String, Boolean> types) {
        this(types, null);
    }
}

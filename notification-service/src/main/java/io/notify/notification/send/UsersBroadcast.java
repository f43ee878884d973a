package io.notify.notification.send;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.Audience;
import io.notify.notification.actions.Action;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotEmpty;

/**
 * {@code POST /api/notifications/broadcast}: one notification to a list of users. The content is
 * validated as the {@link NotificationRequest} it becomes.
 */
@RegisterForReflection
@Schema(description = "A notification for a list of users.", example = """
        {"user_ids": ["00000000-0000-4000-8000-00000000a002"], "title": "Your report is ready",
         "message": "The Q3 report finished", "type": "info", "priority": "normal", "link": "/reports/q3"}""")
public record UsersBroadcast(
        @JsonProperty("user_ids") @NotEmpty List<String> userIds,
        @Schema(required = true) String title,
        @Schema(required = true) String message,
        String type,
        String priority,
        Map<String, Object> data,
        String link,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("external_id") @Schema(description = "Your own id for it, as in `POST /api/notifications`") String externalId,
        @JsonProperty("send_at") @Schema(description = "Send it later, as in `POST /api/notifications`") OffsetDateTime sendAt,
        @Schema(description = "Up to 3 buttons, as in `POST /api/notifications`") List<Action> actions) {

    public NotificationRequest toRequest() {
        return new NotificationRequest(new Audience("users", userIds, null, null), title, message, type, priority,
                data, link, expiresAt, idempotencyKey, externalId, sendAt, actions);
    }
}

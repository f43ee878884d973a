package io.notify.notification;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.actions.Action;
import io.notify.notification.actions.ActionCompletion;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A stored notification as clients and gateways see it. */
@RegisterForReflection
@Schema(description = "A stored notification.", requiredProperties = { "id", "seq", "audience", "title", "message", "type",
        "priority", "data", "link", "sender", "created_at", "expires_at" })
public record NotificationView(
        UUID id,
        @Schema(description = "Monotonic sequence; clients resume from the last one they saw") long seq,
        Audience audience,
        String title,
        String message,
        @Schema(example = "meeting") String type,
        @Schema(enumeration = { "low", "normal", "high", "urgent" }) String priority,
        Map<String, Object> data,
        @Schema(nullable = true) String link,
        String sender,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("expires_at") @Schema(nullable = true) OffsetDateTime expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Whether the reader has read it; absent in events addressed to many users") Boolean read,
        @JsonProperty("external_id") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The sender's own id for it (`external_id` of the request, `payload.id` of a seed "
                + "envelope); absent when it has none", example = "n-42") String externalId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Schema(description = "Its buttons, in order; absent when it has none") List<Action> actions,
        @JsonProperty("completed_action") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The action the reader completed; only in the reader's inbox, absent when none")
        ActionCompletion completedAction) {

    public NotificationView withRead(Boolean read) {
        return new NotificationView(id, seq, audience, title, message, type, priority, data, link, sender, createdAt,
                expiresAt, read, externalId, actions, completedAction);
    }

    /** The same notification with the reader's completed action. */
    public NotificationView withCompletedAction(ActionCompletion completed) {
        return new NotificationView(id, seq, audience, title, message, type, priority, data, link, sender, createdAt,
                expiresAt, read, externalId, actions, completed);
    }

    /** What a reader sees: never the other recipients of a user list. */
    public NotificationView forReader(Boolean read) {
        Audience withoutRecipients = new Audience(audience.type(), null, audience.company(), audience.role(),
                audience.topic());
        return new NotificationView(id, seq, withoutRecipients, title, message, type, priority, data, link, sender,
                createdAt, expiresAt, read, externalId, actions, completedAction);
    }

    /** A stored row as its sender or a reader sees it (before their read state is known). */
    public static NotificationView of(Notification n, List<String> userIds) {
        Audience audience = new Audience(n.audienceType, userIds.isEmpty() ? null : userIds, n.audienceCompany,
                n.audienceRole, n.audienceTopic);
        return new NotificationView(n.id, n.seq, audience, n.title, n.message, n.type, n.priority, n.data, n.link,
                n.sender, n.createdAt, n.expiresAt, null, n.externalId, n.actions, null);
    }
}

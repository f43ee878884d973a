package io.notify.notification.send;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.Audience;
import io.notify.notification.FutureWithin;
import io.notify.notification.NoNul;
import io.notify.notification.actions.Action;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A request to send a notification: the body of {@code POST /api/notifications} and the value of a
 * record on {@code notification-requests}. Both paths apply the same validation.
 */
@RegisterForReflection
@Schema(description = "A notification to send.", example = """
        {"audience": {"type": "company", "company": "company_a"}, "title": "Standup moved",
         "message": "Daily standup is at 10:30 today", "type": "meeting", "priority": "high",
         "data": {"meeting_id": 42}, "link": "/meetings/42", "idempotency_key": "meeting-42-moved",
         "external_id": "standup-2026-12-06"}""")
public record NotificationRequest(
        @NotNull @Valid Audience audience,
        @NotBlank @Size(max = 200) @NoNul String title,
        @NotBlank @Size(max = 4000) @NoNul String message,
        @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be lower_snake_case, at most 64 characters")
        @Schema(description = "general, meeting, meeting_response, meeting_invitation, meeting_scheduled, action_item, approval, mom_created, info, warning, error, success, or your own", defaultValue = "general")
        String type,
        @Pattern(regexp = "low|normal|high|urgent", message = "must be one of low, normal, high, urgent")
        @Schema(defaultValue = "normal") String priority,
        @NoNul Map<String, Object> data,
        @Size(max = 2048) @NoNul String link,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        @JsonProperty("idempotency_key") @Size(min = 1, max = 200) @NoNul
        @Schema(description = "Retrying with the same key creates nothing new") String idempotencyKey,
        @JsonProperty("external_id") @Pattern(regexp = EXTERNAL_ID, message = EXTERNAL_ID_MESSAGE)
        @Schema(description = "Your own id for this notification, 1 to 200 characters without control characters. "
                + "Shown as `external_id` in the inbox, the socket's `notification` frame and the event; find the "
                + "notification by it with `GET /api/notifications/external/{externalId}`. Not unique and not an "
                + "idempotency key (use `idempotency_key` for retries)", example = "n-42") String externalId,
        @JsonProperty("send_at") @FutureWithin(days = 366)
        @Schema(description = "Send it later: at this time (in the future, at most 366 days ahead). The send is "
                + "authorized and counted now and answered 202 with the scheduled send's `id`, the id the "
                + "notification will have; nothing is visible, counted unread or pushed before it. List pending "
                + "ones with `GET /api/notifications/scheduled`, cancel one with `DELETE /api/notifications/{id}`",
                example = "2026-12-24T09:00:00Z") OffsetDateTime sendAt,
        @Size(max = Action.MOST) @Action.UniqueIds
        @Schema(description = "Up to 3 buttons (ids unique; labels up to 40 characters; style primary, secondary "
                + "(default) or danger). Each reader may complete one with `POST /api/notifications/{id}/actions/{actionId}`")
        List<@NotNull @Valid Action> actions) {

    /** What an external id may be: 1 to 200 characters, none of them a control character (NUL included). */
    public static final String EXTERNAL_ID = "[^\\x00-\\x1F\\x7F-\\x9F]{1,200}";
    public static final String EXTERNAL_ID_MESSAGE = "must be 1 to 200 characters without control characters";

    public String typeOrDefault() {
        return type == null ? "general" : type;
    }

    public String priorityOrDefault() {
        return priority == null ? "normal" : priority;
    }

    public NotificationRequest withIdempotencyKey(String key) {
        return new NotificationRequest(audience, title, message, type, priority, data, link, expiresAt, key, externalId,
                sendAt, actions);
    }

    /** This request to be sent now (no {@code send_at}). */
    public NotificationRequest now() {
        return new NotificationRequest(audience, title, message, type, priority, data, link, expiresAt, idempotencyKey,
                externalId, null, actions);
    }
}

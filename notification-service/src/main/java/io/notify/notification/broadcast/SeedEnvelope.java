package io.notify.notification.broadcast;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.Audience;
import io.notify.notification.send.NotificationRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The first seed's broadcast body, accepted unchanged by {@code /api/broadcast/...}:
 * {@code {id, type: "notification", payload: {id, title, message, type, created_at, read, data}}}.
 * {@code payload.id} is kept as the notification's {@code external_id} (the client's own id, shown in frames,
 * inbox items and lookups; the store's {@code id} is a UUID of its own). {@code created_at} and {@code read}
 * are the sender's view and ignored (the store sets both); the envelope {@code id} (or else the payload's)
 * is the idempotency key.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(description = "The seed envelope. `payload.id` is kept as the notification's `external_id`; `payload.created_at` "
        + "and `payload.read` are ignored (the store sets both); the envelope `id` (or else `payload.id`) is the "
        + "idempotency key.", example = """
        {"id": "evt-42", "type": "notification", "payload": {"id": "n-42", "title": "All hands",
         "message": "All hands at 4 pm in the atrium", "type": "meeting", "created_at": "2026-11-21T10:00:00Z",
         "read": false, "data": {"room": "atrium"}}}""")
public record SeedEnvelope(
        @Size(min = 1, max = 200) String id,
        @Pattern(regexp = "notification", message = "must be notification") String type,
        @NotNull @Valid Payload payload) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Payload(
            @Pattern(regexp = NotificationRequest.EXTERNAL_ID, message = NotificationRequest.EXTERNAL_ID_MESSAGE)
            @Schema(description = "Your id for the notification: kept as its `external_id`") String id,
            String title,
            String message,
            String type,
            @JsonProperty("created_at") @Schema(description = "Ignored: the store sets it") String createdAt,
            @Schema(description = "Ignored: a new notification is unread") Boolean read,
            Map<String, Object> data,
            @Schema(description = "Not in the seed; optional") String priority,
            @Schema(description = "Not in the seed; optional") String link) {
    }

    public NotificationRequest toRequest(Audience audience) {
        String key = id != null ? id : payload.id();
        return new NotificationRequest(audience, payload.title(), payload.message(), payload.type(),
                payload.priority(), payload.data(), payload.link(), null, key == null ? null : "seed:" + key,
                payload.id(), null, null);
    }
}

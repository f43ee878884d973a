package io.notify.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * A stored notification, as {@code POST /api/notifications} answers it. {@code created} is false when the idempotency
 * key had been used already (this is the notification stored then). A send with {@code send_at} not due yet answers
 * {@code scheduled} true (202): {@code id} is the id the notification will have, {@code sendAt} when; only the
 * request's audience, title, type and external id are filled, {@code seq} is 0 and {@code created} false.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SentNotification(
        UUID id,
        long seq,
        Audience audience,
        String title,
        String message,
        String type,
        String priority,
        Map<String, Object> data,
        String link,
        String sender,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        @JsonProperty("external_id") String externalId,
        @JsonProperty("send_at") OffsetDateTime sendAt,
        boolean created,
        boolean scheduled) {

    SentNotification withCreated(boolean created) {
        return with(created, false);
    }

    SentNotification with(boolean created, boolean scheduled) {
        return new SentNotification(id, seq, audience, title, message, type, priority, data, link, sender, createdAt,
                expiresAt, externalId, sendAt, created, scheduled);
    }
}

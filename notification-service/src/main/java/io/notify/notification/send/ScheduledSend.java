package io.notify.notification.send;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.Audience;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A send kept until its {@code send_at}: the 202 answer of a send with {@code send_at}, and a pending one listed. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A scheduled send.", requiredProperties = { "id", "status", "send_at", "audience", "title", "type",
        "idempotency_key" }, example = """
        {"id": "0193a5c2-7b10-7c3e-9f2a-5d4e3c2b1a00", "status": "scheduled", "send_at": "2026-12-24T09:00:00Z",
         "audience": {"type": "company", "company": "company_a"}, "title": "Standup moved", "type": "meeting",
         "idempotency_key": "meeting-42-moved"}""")
public record ScheduledSend(
        @Schema(description = "The id the notification will have (and has, once sent)") UUID id,
        @Schema(description = "Always `scheduled`: a send not gone out yet (a retry after it went out answers the notification, 200)",
                enumeration = { "scheduled" }) String status,
        @JsonProperty("send_at") OffsetDateTime sendAt,
        Audience audience,
        String title,
        String type,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("external_id") String externalId) {

    public static final String SCHEDULED = "scheduled";

    static ScheduledSend of(UUID id, NotificationRequest request) {
        return new ScheduledSend(id, SCHEDULED, request.sendAt(), request.audience(), request.title(),
                request.typeOrDefault(), request.idempotencyKey(), request.externalId());
    }
}

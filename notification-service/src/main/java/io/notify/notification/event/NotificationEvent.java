package io.notify.notification.event;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A change gateways push to sockets, on topic {@code notification-events} (see
 * contracts/asyncapi.yaml). {@code audience} says whose sockets it goes to.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationEvent(
        @JsonProperty("event_id") UUID eventId,
        @JsonProperty("schema_version") int schemaVersion,
        String kind,
        long seq,
        Audience audience,
        @JsonProperty("occurred_at") OffsetDateTime occurredAt,
        NotificationView notification) {

    public static final int SCHEMA_VERSION = 1;

    public static NotificationEvent created(NotificationView n) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, "created", n.seq(), n.audience(),
                n.createdAt(), n);
    }
}

package io.notify.notification.delivery;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What happened to a notification for one user, on topic {@code notification-engagement} keyed by the notification
 * id (contracts/asyncapi.yaml, {@code EngagementEvent}). At most one per kind, notification and user: each is
 * written in the transaction that first recorded that fact.
 */
@RegisterForReflection
public record EngagementEvent(
        @JsonProperty("event_id") UUID eventId,
        @JsonProperty("schema_version") int schemaVersion,
        String kind,
        @JsonProperty("notification_id") UUID notificationId,
        @JsonProperty("user_id") String userId,
        String company,
        @JsonProperty("occurred_at") OffsetDateTime occurredAt,
        @JsonProperty("action_id") @JsonInclude(JsonInclude.Include.NON_NULL) String actionId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String sender,
        @JsonProperty("sender_id") @JsonInclude(JsonInclude.Include.NON_NULL) String senderId) {

    public static final String TOPIC = "notification-engagement";
    public static final int SCHEMA_VERSION = 1;

    /** The kinds, as the contract names them. */
    public enum Kind {
        DELIVERED, READ, CLICKED, UNDELIVERED, ACTIONED;

        public final String wire = name().toLowerCase(java.util.Locale.ROOT);
    }

    public static EngagementEvent of(Kind kind, UUID notificationId, String userId, String company, OffsetDateTime at) {
        return new EngagementEvent(UUID.randomUUID(), SCHEMA_VERSION, kind.wire, notificationId, userId, company, at, null, null,
                null);
    }

    /**
     * The user completed action {@code actionId} of a notification that {@code sender} ({@code senderId}: the sending
     * user's or service account's id, null from the Kafka intake) sent.
     */
    public static EngagementEvent actioned(UUID notificationId, String userId, String company, OffsetDateTime at,
            String actionId, String sender, String senderId) {
        return new EngagementEvent(UUID.randomUUID(), SCHEMA_VERSION, Kind.ACTIONED.wire, notificationId, userId, company,
                at, actionId, sender, senderId);
    }
}

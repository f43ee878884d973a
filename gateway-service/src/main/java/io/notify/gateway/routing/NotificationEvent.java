package io.notify.gateway.routing;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The part of a notification-service event the gateway needs (contracts/asyncapi.yaml). The
 * notification and preferences are kept as JSON trees: the gateway forwards them, it does not
 * interpret them beyond type and priority.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotificationEvent(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("schema_version") int schemaVersion,
        String kind,
        long seq,
        Audience audience,
        @JsonProperty("occurred_at") OffsetDateTime occurredAt,
        ObjectNode notification,
        @JsonProperty("notification_id") String notificationId,
        @JsonProperty("read_up_to") Long readUpTo,
        ObjectNode preferences,
        @JsonProperty("seen_up_to") Long seenUpTo,
        @JsonProperty("snoozed_until") String snoozedUntil,
        @JsonProperty("action_id") String actionId,
        Subscription subscription) {

    /** Kind {@code subscription_changed}: the user's subscription to a company's topic began ({@code subscribed}) or ended. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Subscription(String topic, String company, boolean subscribed) {
    }

    /** The single user a per-user state event belongs to, or null. */
    public String user() {
        return audience != null && "user".equals(audience.type()) && audience.userIds() != null
                && audience.userIds().size() == 1 ? audience.userIds().get(0) : null;
    }

    /** Whether this event pushes a {@code notification} frame: a new notification, or a snoozed one back. */
    public boolean pushesNotification() {
        return ("created".equals(kind) || "resurfaced".equals(kind)) && notification != null;
    }

    /**
     * The id of the notification a {@code created} or {@code resurfaced} event pushes as a {@code notification} frame (the one a
     * socket acknowledges with {@code ack}); null for other kinds or an id that is not a UUID. Parse it once
     * per event: every socket the frame goes to shares it.
     */
    public UUID pushedNotificationId() {
        if (!pushesNotification() || !notification.path("id").isTextual()) {
            return null;
        }
        try {
            return UUID.fromString(notification.get("id").asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

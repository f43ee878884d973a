package io.notify.notification.outbox;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.Audience;
import io.notify.notification.NotificationView;
import io.notify.notification.Preferences;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A change gateways push to sockets, on topic {@code notification-events}, and an entry of a
 * resume answer (see contracts/asyncapi.yaml). {@code audience} says whose sockets it goes to;
 * {@code seq} is its place in the one global sequence clients resume from.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = { "event_id", "schema_version", "kind", "seq" })
public record NotificationEvent(
        @JsonProperty("event_id") UUID eventId,
        @JsonProperty("schema_version") int schemaVersion,
        String kind,
        long seq,
        Audience audience,
        @JsonProperty("occurred_at") OffsetDateTime occurredAt,
        NotificationView notification,
        @JsonProperty("notification_id") UUID notificationId,
        @JsonProperty("read_up_to") Long readUpTo,
        Preferences preferences,
        @JsonProperty("seen_up_to") Long seenUpTo,
        @JsonProperty("snoozed_until") OffsetDateTime snoozedUntil,
        @JsonProperty("action_id") @Schema(description = "Kind `action_completed` only: the action the user completed "
                + "(`occurred_at` is when)") String actionId,
        @Schema(description = "Kind `subscription_changed` only: the topic subscription the user gained or lost")
        SubscriptionChange subscription) {

    public static final int SCHEMA_VERSION = 1;

    public static final String CREATED = "created";
    public static final String READ = "read";
    public static final String ALL_READ = "all_read";
    public static final String DELETED = "deleted";
    public static final String PREFERENCES_UPDATED = "preferences_updated";
    public static final String ALL_SEEN = "all_seen";
    public static final String ARCHIVED = "archived";
    public static final String UNARCHIVED = "unarchived";
    public static final String SNOOZED = "snoozed";
    public static final String UNSNOOZED = "unsnoozed";
    public static final String RESURFACED = "resurfaced";
    public static final String ACTION_COMPLETED = "action_completed";
    public static final String SUBSCRIPTION_CHANGED = "subscription_changed";

    /** A user's topic subscription gained ({@code subscribed}) or lost. */
    @RegisterForReflection
    @Schema(name = "SubscriptionChange", requiredProperties = { "topic", "company", "subscribed" },
            example = "{\"topic\": \"project-42\", \"company\": \"company_a\", \"subscribed\": true}")
    public record SubscriptionChange(@Schema(example = "project-42") String topic,
            @Schema(example = "company_a") String company, boolean subscribed) {
    }

    public static NotificationEvent created(NotificationView n) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, CREATED, n.seq(), n.audience(),
                n.createdAt(), n, null, null, null, null, null, null, null);
    }

    public static NotificationEvent read(String userId, long seq, OffsetDateTime at, UUID notificationId) {
        return userEvent(READ, userId, seq, at, notificationId, null, null);
    }

    public static NotificationEvent deleted(String userId, long seq, OffsetDateTime at, UUID notificationId) {
        return userEvent(DELETED, userId, seq, at, notificationId, null, null);
    }

    public static NotificationEvent allRead(String userId, long seq, OffsetDateTime at, long upTo) {
        return userEvent(ALL_READ, userId, seq, at, null, upTo, null);
    }

    public static NotificationEvent preferencesUpdated(String userId, long seq, OffsetDateTime at, Preferences p) {
        return userEvent(PREFERENCES_UPDATED, userId, seq, at, null, null, p);
    }

    public static NotificationEvent allSeen(String userId, long seq, OffsetDateTime at, long upTo) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, ALL_SEEN, seq, userOnly(userId), at, null, null,
                null, null, upTo, null, null, null);
    }

    /** {@link #ARCHIVED} or {@link #UNARCHIVED}. */
    public static NotificationEvent archive(String kind, String userId, long seq, OffsetDateTime at, UUID notificationId) {
        return userEvent(kind, userId, seq, at, notificationId, null, null);
    }

    /** One notification snoozed by one user until {@code until}: out of their list and counts until then. */
    public static NotificationEvent snoozed(String userId, long seq, OffsetDateTime at, UUID notificationId,
            OffsetDateTime until) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, SNOOZED, seq, userOnly(userId), at, null,
                notificationId, null, null, null, until, null, null);
    }

    /** One notification back from a snooze before its time (still as it was). */
    public static NotificationEvent unsnoozed(String userId, long seq, OffsetDateTime at, UUID notificationId) {
        return userEvent(UNSNOOZED, userId, seq, at, notificationId, null, null);
    }

    /** A snoozed notification back at its time, unread, as this one user sees it: pushed to them again. */
    public static NotificationEvent resurfaced(String userId, long seq, OffsetDateTime at, NotificationView n) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, RESURFACED, seq, userOnly(userId), at, n,
                null, null, null, null, null, null, null);
    }

    /** A user completed one of a notification's actions ({@code at}: when). */
    public static NotificationEvent actionCompleted(String userId, long seq, OffsetDateTime at, UUID notificationId,
            String actionId) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, ACTION_COMPLETED, seq, userOnly(userId), at, null,
                notificationId, null, null, null, null, actionId, null);
    }

    /**
     * The user subscribed to a topic ({@code subscribed}; the subscription's {@code since_seq} is this event's seq) or
     * unsubscribed from it.
     */
    public static NotificationEvent subscriptionChanged(String userId, long seq, OffsetDateTime at, String company,
            String topic, boolean subscribed) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, SUBSCRIPTION_CHANGED, seq, userOnly(userId), at,
                null, null, null, null, null, null, null, new SubscriptionChange(topic, company, subscribed));
    }

    private static NotificationEvent userEvent(String kind, String userId, long seq, OffsetDateTime at,
            UUID notificationId, Long readUpTo, Preferences preferences) {
        return new NotificationEvent(UUID.randomUUID(), SCHEMA_VERSION, kind, seq, userOnly(userId), at, null,
                notificationId, readUpTo, preferences, null, null, null, null);
    }

    private static Audience userOnly(String userId) {
        return new Audience("user", List.of(userId), null, null);
    }

    /** The same event as a particular reader may see it: a created notification with their read state. */
    public NotificationEvent withNotification(NotificationView view) {
        return new NotificationEvent(eventId, schemaVersion, kind, seq, audience, occurredAt, view, notificationId,
                readUpTo, preferences, seenUpTo, snoozedUntil, actionId, subscription);
    }
}

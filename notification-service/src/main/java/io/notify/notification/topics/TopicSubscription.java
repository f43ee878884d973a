package io.notify.notification.topics;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A user's subscription to a topic of a company. */
@RegisterForReflection
@Schema(description = "A user's subscription to a topic of a company: they see the topic's notifications sent after "
        + "`since_seq`.", requiredProperties = { "topic", "company", "user_id", "since_seq", "subscribed_at" },
        example = "{\"topic\": \"project-42\", \"company\": \"company_a\", \"user_id\": \"7d0c5b8e-2f43-4b6e-9a1d-3c5e8f9a0b12\", "
                + "\"since_seq\": 1234, \"subscribed_at\": \"2026-12-06T12:00:00Z\"}")
public record TopicSubscription(
        @Schema(example = "project-42") String topic,
        @Schema(example = "company_a") String company,
        @JsonProperty("user_id") String userId,
        @JsonProperty("since_seq") @Schema(description = "The seq of the `subscription_changed` event of the subscribe: "
                + "the subscriber sees the topic's notifications with a higher seq") long sinceSeq,
        @JsonProperty("subscribed_at") OffsetDateTime subscribedAt) {

    /** As a topic's subscriber list shows it. */
    public Subscriber asSubscriber() {
        return new Subscriber(userId, sinceSeq, subscribedAt);
    }

    /** One subscriber of a topic. */
    @RegisterForReflection
    @Schema(name = "TopicSubscriber", description = "A subscriber of a topic.",
            requiredProperties = { "user_id", "since_seq", "subscribed_at" },
            example = "{\"user_id\": \"7d0c5b8e-2f43-4b6e-9a1d-3c5e8f9a0b12\", \"since_seq\": 1234, "
                    + "\"subscribed_at\": \"2026-12-06T12:00:00Z\"}")
    public record Subscriber(@JsonProperty("user_id") String userId, @JsonProperty("since_seq") long sinceSeq,
            @JsonProperty("subscribed_at") OffsetDateTime subscribedAt) {
    }

    /** The caller's subscriptions. */
    @RegisterForReflection
    @Schema(name = "TopicSubscriptions", description = "The caller's topic subscriptions in their company, by topic.",
            requiredProperties = { "items" },
            example = "{\"items\": [{\"topic\": \"project-42\", \"company\": \"company_a\", \"user_id\": "
                    + "\"7d0c5b8e-2f43-4b6e-9a1d-3c5e8f9a0b12\", \"since_seq\": 1234, \"subscribed_at\": \"2026-12-06T12:00:00Z\"}]}")
    public record Mine(java.util.List<TopicSubscription> items) {
    }

    /** A page of a topic's subscribers. */
    @RegisterForReflection
    @Schema(name = "TopicSubscribersPage", description = "A page of a topic's subscribers by user id; pass "
            + "`next_after` as `after` for the next one (null: the last page).", requiredProperties = { "items", "next_after" },
            example = "{\"items\": [{\"user_id\": \"7d0c5b8e-2f43-4b6e-9a1d-3c5e8f9a0b12\", \"since_seq\": 1234, "
                    + "\"subscribed_at\": \"2026-12-06T12:00:00Z\"}], \"next_after\": null}")
    public record SubscribersPage(java.util.List<Subscriber> items,
            @JsonProperty("next_after") @Schema(nullable = true) String nextAfter) {
    }
}

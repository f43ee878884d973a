package io.notify.notification.inbox;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.QuietHours;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The muted types (and quiet hours) of many users at once ({@code POST /api/notifications/preferences/muted}), as a WebSocket gateway
 * loads them for the users whose sockets it holds.
 */
public final class MutedTypes {

    /** Most users in one request. */
    public static final int MAX_USERS = 100;

    private MutedTypes() {
    }

    @RegisterForReflection
    @Schema(name = "MutedTypesRequest", description = "The users whose muted types are asked for, 1 to 100 ids.",
            example = "{\"user_ids\": [\"u-1001\", \"u-1002\"]}")
    public record Request(
            @JsonProperty("user_ids") @NotNull @Size(min = 1, max = MAX_USERS) List<@NotBlank @Size(max = 255) String> userIds) {
    }

    @RegisterForReflection
    @Schema(name = "MutedTypesAnswer", description = "One result per user id, in the order of the ids.",
            example = "{\"results\": [{\"user_id\": \"u-1001\", \"muted\": [\"digest\"]}, {\"user_id\": \"u-1002\", \"muted\": []}]}")
    public record Answer(List<Result> results) {
    }

    /** A user and the types they switched off. */
    @RegisterForReflection
    @Schema(name = "MutedTypesResult", description = "The user and the types they switched off (urgent notifications of "
            + "those types still get through); empty for a user who mutes nothing or is unknown. `quiet_hours` when "
            + "the user has some (the gateway pushes silently during them). `topics` when the user has topic "
            + "subscriptions (the gateway routes those topics' notifications to them).")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(@JsonProperty("user_id") String userId, List<String> muted,
            @JsonProperty("quiet_hours") QuietHours quietHours,
            @Schema(description = "The user's topic subscriptions; absent when none") List<Topic> topics) {
    }

    /** A topic subscription: the user gets the topic's notifications with a seq above {@code since_seq}. */
    @RegisterForReflection
    @Schema(name = "MutedTypesTopic", description = "A topic subscription of the user: notifications of `topic` in "
            + "`company` with a seq above `since_seq` are theirs.", requiredProperties = { "topic", "company", "since_seq" },
            example = "{\"topic\": \"project-42\", \"company\": \"company_a\", \"since_seq\": 123}")
    public record Topic(String topic, String company, @JsonProperty("since_seq") long sinceSeq) {
    }
}

package io.notify.notification;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Who a notification is for. {@code user}: {@code user_ids} holds exactly one id; {@code users}: a
 * list; {@code company}: every user of {@code company}; {@code role}: every user with
 * {@code role}, within {@code company} when given; {@code everyone}; {@code topic}: the subscribers of {@code topic}
 * within {@code company} (both required) who subscribed before it was sent.
 */
@RegisterForReflection
@ValidAudience
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Who the notification is for.", example = "{\"type\": \"company\", \"company\": \"company_a\"}")
public record Audience(
        @NotNull @Pattern(regexp = "user|users|company|role|everyone|topic",
                message = "must be one of user, users, company, role, everyone, topic")
        String type,
        @JsonProperty("user_ids") @Size(max = 10_000) List<@NotNull @Size(min = 1, max = 64) @NoNul String> userIds,
        @Size(min = 1, max = 64) @NoNul String company,
        @Pattern(regexp = "user|admin|service", message = "must be one of user, admin, service") String role,
        @Pattern(regexp = TOPIC_KEY, message = TOPIC_KEY_MESSAGE) @NoNul
        @Schema(description = "The topic, within `company`: only for a topic audience", example = "project-42")
        String topic) {

    /** What a topic key may be: a letter or digit, then up to 127 letters, digits, {@code . _ : -}. */
    public static final String TOPIC_KEY = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";
    public static final String TOPIC_KEY_MESSAGE = "must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting "
            + "with a letter or digit";

    /** An audience of any type but topic. */
    public Audience(String type, List<String> userIds, String company, String role) {
        this(type, userIds, company, role, null);
    }
}

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
 * {@code role}, within {@code company} when given; {@code everyone}.
 */
@RegisterForReflection
@ValidAudience
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Who the notification is for.", example = "{\"type\": \"company\", \"company\": \"company_a\"}")
public record Audience(
        @NotNull @Pattern(regexp = "user|users|company|role|everyone", message = "must be one of user, users, company, role, everyone")
        String type,
        @JsonProperty("user_ids") @Size(max = 10_000) List<@NotNull @Size(min = 1, max = 64) @NoNul String> userIds,
        @Size(min = 1, max = 64) @NoNul String company,
        @Pattern(regexp = "user|admin|service", message = "must be one of user, admin, service") String role) {
}

package io.notify.notification.event;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Who a notification is for. {@code user}: {@code user_ids} holds exactly one id; {@code users}: a
 * list; {@code company}: every user of {@code company}; {@code role}: every user with
 * {@code role}, within {@code company} when given; {@code everyone}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Who the notification is for.", example = "{\"type\": \"company\", \"company\": \"company_a\"}")
public record Audience(
        @NotNull @Pattern(regexp = "user|users|company|role|everyone", message = "must be one of user, users, company, role, everyone")
        String type,
        @JsonProperty("user_ids") @Size(max = 10_000) List<@NotNull @Size(min = 1, max = 64) String> userIds,
        @Size(min = 1, max = 64) String company,
        @Pattern(regexp = "user|admin|service", message = "must be one of user, admin, service") String role) {

    public static Audience user(String userId) {
        return new Audience("user", List.of(userId), null, null);
    }

    public static Audience company(String company) {
        return new Audience("company", null, company, null);
    }

    @JsonIgnore
    @AssertTrue(message = "user_ids must hold exactly one id for a user audience and at least one for users")
    public boolean isUserIdsConsistent() {
        boolean listed = "user".equals(type) || "users".equals(type);
        if (!listed) {
            return userIds == null || userIds.isEmpty();
        }
        return userIds != null && !userIds.isEmpty() && (!"user".equals(type) || userIds.size() == 1);
    }

    @JsonIgnore
    @AssertTrue(message = "company is required for a company audience and not allowed for user, users or everyone")
    public boolean isCompanyConsistent() {
        return switch (type == null ? "" : type) {
            case "company" -> company != null;
            case "role" -> true;
            default -> company == null;
        };
    }

    @JsonIgnore
    @AssertTrue(message = "role is required for a role audience and only allowed there")
    public boolean isRoleConsistent() {
        return "role".equals(type) == (role != null);
    }
}

package io.notify.auth.user;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@Schema(description = "A user as the directory shows it. `email` and `created_at` are shown to admins only.",
        requiredProperties = { "id", "username", "company", "roles", "enabled" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(
        @Schema(example = "00000000-0000-4000-8000-00000000a002") String id,
        @Schema(example = "user1") String username,
        @JsonProperty("display_name") @Schema(example = "User One") String displayName,
        @Schema(example = "user1@company-a.example") String email,
        @Schema(example = "company_a") String company,
        @Schema(example = "[\"user\"]") List<String> roles,
        @Schema(example = "true") boolean enabled,
        @JsonProperty("created_at") OffsetDateTime createdAt) {

    static UserView of(UserAccount user, boolean full) {
        return new UserView(user.id.toString(), user.username, user.displayName, full ? user.email : null,
                user.company.slug, user.roles.stream().sorted().toList(), user.enabled, full ? user.createdAt : null);
    }
}

package io.notify.auth.login;

import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@Schema(description = "The signed-in user, or the service account behind a client-credentials token.",
        requiredProperties = { "id", "username", "roles" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeResponse(
        @Schema(example = "00000000-0000-4000-8000-00000000a002") String id,
        @Schema(example = "user1") String username,
        @JsonProperty("display_name") @Schema(example = "User One") String displayName,
        @Schema(example = "user1@company-a.example") String email,
        @Schema(example = "company_a") String company,
        @Schema(example = "[\"user\"]") Set<String> roles,
        @Schema(description = "Service accounts only: the companies it may notify", example = "[\"company_a\"]")
        List<String> companies) {
}

package io.notify.auth.rest;

import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

@Schema(description = "The signed-in user.")
public record MeResponse(
        @Schema(example = "00000000-0000-4000-8000-00000000a002") String id,
        @Schema(example = "user1") String username,
        @JsonProperty("display_name") String displayName,
        String email,
        @Schema(example = "company_a") String company,
        @Schema(example = "[\"user\"]") Set<String> roles) {
}

package io.notify.auth.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

@Schema(description = "An RS256 access token (OAuth 2.0 token response shape).")
public record TokenResponse(
        @JsonProperty("access_token") @Schema(description = "JWT to send as `Authorization: Bearer`") String accessToken,
        @JsonProperty("token_type") @Schema(example = "bearer") String tokenType,
        @JsonProperty("expires_in") @Schema(description = "Seconds until the access token expires", example = "900") long expiresIn) {
}

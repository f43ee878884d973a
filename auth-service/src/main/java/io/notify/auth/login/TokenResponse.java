package io.notify.auth.login;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@Schema(description = "OAuth 2.0 token response. Client-credentials tokens come without a refresh token.",
        requiredProperties = { "access_token", "token_type", "expires_in" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") @Schema(description = "RS256 JWT to send as `Authorization: Bearer`",
                example = "eyJraWQiOiJ...") String accessToken,
        @JsonProperty("token_type") @Schema(example = "bearer") String tokenType,
        @JsonProperty("expires_in") @Schema(description = "Seconds until the access token expires", example = "900") long expiresIn,
        @JsonProperty("refresh_token") @Schema(description = "Opaque, single-use: every refresh returns a new one",
                example = "q3J0b2tlbi1leGFtcGxlLW5vdC1yZWFsLXRva2VuLXZhbHVl") String refreshToken,
        @JsonProperty("refresh_expires_in") @Schema(description = "Seconds until the refresh token expires",
                example = "604800") Long refreshExpiresIn) {

    static TokenResponse of(Sessions.Tokens tokens) {
        return new TokenResponse(tokens.accessToken(), "bearer", tokens.expiresIn(), tokens.refreshToken(),
                tokens.refreshExpiresIn());
    }

    static TokenResponse accessOnly(String accessToken, long expiresIn) {
        return new TokenResponse(accessToken, "bearer", expiresIn, null, null);
    }
}

package io.notify.auth.login;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.constraints.Size;

@Schema(description = "The session to end, named by any of its refresh tokens. Optional when a bearer token is sent.",
        example = "{\"refresh_token\": \"q3J0b2tlbi1leGFtcGxlLW5vdC1yZWFsLXRva2VuLXZhbHVl\"}")
public record LogoutRequest(@JsonProperty("refresh_token") @Size(max = 200) String refreshToken) {
}

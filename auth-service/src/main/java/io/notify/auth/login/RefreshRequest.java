package io.notify.auth.login;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@Schema(description = "A refresh token from login or the previous refresh.",
        example = "{\"refresh_token\": \"q3J0b2tlbi1leGFtcGxlLW5vdC1yZWFsLXRva2VuLXZhbHVl\"}")
public record RefreshRequest(@JsonProperty("refresh_token") @NotBlank @Size(max = 200) String refreshToken) {
}

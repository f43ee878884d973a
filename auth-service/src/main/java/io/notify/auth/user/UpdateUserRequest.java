package io.notify.auth.user;

import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.auth.Patterns;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@Schema(description = "Changes to a user; absent fields stay as they are. Disabling or a new password ends the user's sessions.",
        example = "{\"enabled\": false}")
public record UpdateUserRequest(
        @JsonProperty("display_name") @Size(min = 1, max = 200) String displayName,
        @Email @Size(max = 320) String email,
        @Size(min = 1, max = 200) String password,
        @Size(min = 1, max = 64) String company,
        @Size(min = 1) Set<@NotBlank @Pattern(regexp = Patterns.USER_ROLE, message = Patterns.USER_ROLE_MESSAGE) String> roles,
        Boolean enabled) {
}

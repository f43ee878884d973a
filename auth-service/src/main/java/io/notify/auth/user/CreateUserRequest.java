package io.notify.auth.user;

import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.auth.Patterns;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@Schema(description = "A new user. Roles are `user` and/or `admin` (`service` is for service accounts).", example = """
        {"username": "jane", "password": "correct horse battery", "display_name": "Jane Doe",
         "email": "jane@company-a.example", "company": "company_a", "roles": ["user"]}""")
public record CreateUserRequest(
        @NotBlank @Pattern(regexp = Patterns.USERNAME, message = Patterns.USERNAME_MESSAGE) String username,
        @NotBlank @Size(max = 200) String password,
        @JsonProperty("display_name") @NotBlank @Size(max = 200) String displayName,
        @Email @Size(max = 320) String email,
        @NotBlank @Size(max = 64) String company,
        @NotEmpty Set<@NotBlank @Pattern(regexp = Patterns.USER_ROLE, message = Patterns.USER_ROLE_MESSAGE) String> roles) {
}

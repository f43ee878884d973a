package io.notify.auth.serviceaccount;

import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.auth.Patterns;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@Schema(description = "A new service account and the companies it may notify.",
        example = "{\"client_id\": \"crm-service\", \"name\": \"CRM\", \"companies\": [\"company_a\", \"company_b\"]}")
public record CreateServiceAccountRequest(
        @JsonProperty("client_id") @NotBlank @Pattern(regexp = Patterns.USERNAME, message = Patterns.USERNAME_MESSAGE) String clientId,
        @NotBlank @Size(max = 200) String name,
        @NotEmpty Set<@NotBlank @Size(max = 64) String> companies) {
}

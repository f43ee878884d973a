package io.notify.auth.serviceaccount;

import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@Schema(description = "Changes to a service account; absent fields stay as they are. Tokens already issued stay valid until they expire.",
        example = "{\"companies\": [\"company_a\"], \"enabled\": true}")
public record UpdateServiceAccountRequest(
        @Size(min = 1, max = 200) String name,
        @Size(min = 1) Set<@NotBlank @Size(max = 64) String> companies,
        Boolean enabled) {
}

package io.notify.auth.company;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.notify.auth.Patterns;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@Schema(description = "A new company.", example = "{\"slug\": \"company_c\", \"name\": \"Company C\"}")
public record CreateCompanyRequest(
        @NotBlank @Pattern(regexp = Patterns.SLUG, message = Patterns.SLUG_MESSAGE) String slug,
        @NotBlank @Size(max = 200) String name) {
}

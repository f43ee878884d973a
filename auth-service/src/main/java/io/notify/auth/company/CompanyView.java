package io.notify.auth.company;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

@Schema(description = "A company (tenant); tokens carry its slug.")
public record CompanyView(
        @Schema(example = "company_a") String slug,
        @Schema(example = "Company A") String name,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("send_quota_per_minute") @Schema(description = "Sends per minute notification-service admits for "
                + "the company, across all its instances; null: the service's default", example = "6000", nullable = true)
        Integer sendQuotaPerMinute) {

    static CompanyView of(Company company) {
        return new CompanyView(company.slug, company.name, company.createdAt, company.sendQuotaPerMinute);
    }
}

package io.notify.auth.serviceaccount;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.auth.company.Company;

@Schema(description = "A service account. `client_secret` appears once: when it is created or its secret rotated.",
        requiredProperties = { "id", "client_id", "name", "companies", "enabled", "created_at" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceAccountView(
        @Schema(example = "6b1f3c2e-0f4a-4d8e-9d1c-3f0e2a7b9c10") String id,
        @JsonProperty("client_id") @Schema(example = "billing-service") String clientId,
        @Schema(example = "Billing") String name,
        @Schema(example = "[\"company_a\"]") List<String> companies,
        @Schema(example = "true") boolean enabled,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("send_quota_per_minute") @Schema(description = "Sends per minute notification-service admits from "
                + "this account; absent: the service's default", example = "3000") Integer sendQuotaPerMinute,
        @JsonProperty("client_secret") @Schema(example = "Vq7p3ZbX9yJm2Lr8sT4wK1nD6hF0cG5aE3uI9oPqRsT") String clientSecret) {

    static ServiceAccountView of(ServiceAccount account, String secret) {
        return new ServiceAccountView(account.id.toString(), account.clientId, account.name,
                account.companies.stream().map(Company::slug).sorted().toList(), account.enabled, account.createdAt, account.sendQuotaPerMinute, secret);
    }
}

package io.notify.auth.changes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.auth.company.Company;
import io.notify.auth.serviceaccount.ServiceAccount;
import io.notify.auth.user.UserAccount;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One record of {@code user-changes} (contracts/asyncapi.yaml, message UserChange): what happened and the resulting
 * state, so a consumer only ever keeps the latest state per key (the user's or service account's id, which is the
 * record key and the {@code sub} of its tokens). Exactly one of {@code user} and {@code service_account} is set.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserChange(
        @JsonProperty("event_id") UUID eventId,
        String type,
        @JsonProperty("occurred_at") Instant occurredAt,
        User user,
        @JsonProperty("service_account") Account serviceAccount,
        @JsonProperty("company") CompanyState company) {

    static UserChange of(String type, User user) {
        return new UserChange(UUID.randomUUID(), type, Instant.now(), user, null, null);
    }

    static UserChange of(String type, Account account) {
        return new UserChange(UUID.randomUUID(), type, Instant.now(), null, account, null);
    }

    /** A user as other services route and authorize it. */
    @RegisterForReflection
    public record User(UUID id, String username, String company, List<String> roles, boolean enabled) {

        static User of(UserAccount user) {
            return new User(user.id, user.username, user.company.slug, user.roles.stream().sorted().toList(), user.enabled);
        }
    }

    /** A service account as other services authorize it. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Account(UUID id, @JsonProperty("client_id") String clientId, List<String> companies, boolean enabled,
            @JsonProperty("send_quota_per_minute") Integer sendQuotaPerMinute) {

        static Account of(ServiceAccount account) {
            return new Account(account.id, account.clientId, account.companies.stream().map(Company::slug).sorted().toList(),
                    account.enabled, account.sendQuotaPerMinute);
        }
    }

    /** A company as notification-service enforces its quota: null is the service's default. */
    @RegisterForReflection
    public record CompanyState(String slug, @JsonProperty("send_quota_per_minute") Integer sendQuotaPerMinute) {

        static CompanyState of(Company company) {
            return new CompanyState(company.slug, company.sendQuotaPerMinute);
        }
    }

    /** The record key: the account's id (its tokens' {@code sub}), or {@code company:<slug>}. */
    String key() {
        return user != null ? user.id().toString() : serviceAccount != null ? serviceAccount.id().toString()
                : "company:" + company.slug();
    }
}

package io.notify.directory;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A record of {@code user-changes} as its consumers read it (contracts/asyncapi.yaml, message UserChange): what
 * happened and the account's resulting state. Exactly one of {@code user} and {@code serviceAccount} is set.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserChangeRecord(
        String type,
        @JsonProperty("occurred_at") Instant occurredAt,
        User user,
        @JsonProperty("service_account") ServiceAccount serviceAccount) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(String id, String company, List<String> roles, boolean enabled) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServiceAccount(String id, List<String> companies, boolean enabled) {
    }

    /** Whether it carries what {@link RecentChanges} needs. */
    boolean complete() {
        return occurredAt != null && (user != null && user.id() != null && user.roles() != null
                || serviceAccount != null && serviceAccount.id() != null && serviceAccount.companies() != null);
    }
}

package io.notify.directory;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A record of {@code user-changes} as its consumers read it (contracts/asyncapi.yaml, message UserChange): what
 * happened and the resulting state. Exactly one of {@code user}, {@code serviceAccount} and {@code company} is set.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserChangeRecord(
        String type,
        @JsonProperty("occurred_at") Instant occurredAt,
        User user,
        @JsonProperty("service_account") ServiceAccount serviceAccount,
        Company company) {

    private static final Logger LOG = Logger.getLogger(UserChangeRecord.class);

    /** A record's JSON value read; null (logged) when it is not a UserChange: such a record is skipped. */
    public static UserChangeRecord parse(String json, ObjectMapper mapper) {
        try {
            return json == null ? null : mapper.readValue(json, UserChangeRecord.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Skipped a user-changes record that is not a UserChange: %s", e.getOriginalMessage());
            return null;
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(String id, String company, List<String> roles, boolean enabled) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServiceAccount(String id, List<String> companies, boolean enabled,
            @JsonProperty("send_quota_per_minute") Integer sendQuotaPerMinute) {
    }

    /** A company's send quota (null: the default). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Company(String slug, @JsonProperty("send_quota_per_minute") Integer sendQuotaPerMinute) {
    }

    /** Whether it carries what {@link RecentChanges} needs. */
    boolean complete() {
        return occurredAt != null && (user != null && user.id() != null && user.roles() != null
                || serviceAccount != null && serviceAccount.id() != null && serviceAccount.companies() != null);
    }
}

package io.notify.gateway.receipts;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A record on {@code notification-receipts} (contracts/asyncapi.yaml, {@code NotificationReceipts}): which
 * users' sockets on this gateway acknowledged one notification in one window. Keyed by the notification id.
 */
@RegisterForReflection
public record NotificationReceipts(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("batch_id") String batchId,
        String gateway,
        @JsonProperty("notification_id") String notificationId,
        List<Receipt> receipts) {

    public static final int SCHEMA_VERSION = 1;
    /** Users in one record at most; more make more records. */
    public static final int MAX_RECEIPTS = 1000;

    /** One user's acknowledgements of the notification in the window. */
    @RegisterForReflection
    public record Receipt(
            @JsonProperty("user_id") String userId,
            @JsonInclude(JsonInclude.Include.ALWAYS) String company,
            int sockets,
            @JsonProperty("first_acked_at") Instant firstAckedAt,
            @JsonProperty("last_acked_at") Instant lastAckedAt) {
    }
}

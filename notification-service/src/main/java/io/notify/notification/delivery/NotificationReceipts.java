package io.notify.notification.delivery;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.NoNul;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * One gateway's receipts of one notification in one window, as read from {@code notification-receipts}
 * (contracts/asyncapi.yaml, {@code NotificationReceipts}); unknown fields are ignored, as the contract allows.
 */
@RegisterForReflection
public record NotificationReceipts(
        @JsonProperty("schema_version") @NotNull @Min(1) @Max(1) Integer schemaVersion,
        @JsonProperty("batch_id") @NotNull UUID batchId,
        @NotBlank @Size(max = 200) String gateway,
        @JsonProperty("notification_id") @NotNull UUID notificationId,
        @NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid Receipt> receipts) {

    /** One user's acknowledgements on that gateway in that window. */
    @RegisterForReflection
    public record Receipt(
            @JsonProperty("user_id") @NotNull @Size(min = 1, max = 64) @NoNul String userId,
            @Size(max = 64) @NoNul String company,
            @NotNull @Min(1) Integer sockets,
            @JsonProperty("first_acked_at") @NotNull OffsetDateTime firstAckedAt,
            @JsonProperty("last_acked_at") @NotNull OffsetDateTime lastAckedAt) {
    }
}

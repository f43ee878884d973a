package io.notify.notification.delivery;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.Audience;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What happened to one notification, for its sender and admins. */
@RegisterForReflection
@Schema(description = "Delivery statistics of one notification. Delivered: a device (socket) of the user acknowledged "
        + "it. Read and clicked: the user read it (one by one or by read-all) or opened its link.",
        requiredProperties = { "notification_id", "audience", "audience_size", "delivered_users", "delivered_sockets",
                "read_users", "clicked_users", "first_delivered_at", "last_delivered_at" })
public record DeliveryView(
        @JsonProperty("notification_id") UUID notificationId,
        Audience audience,
        @JsonProperty("audience_size") @Schema(nullable = true, description = "How many users it was for: the number of "
                + "ids for user/users, the directory's count at send time for company, role and everyone; null when "
                + "unknown (auth-service did not answer, or a Kafka intake broadcast)") Integer audienceSize,
        @JsonProperty("delivered_users") @Schema(description = "Users with at least one acknowledging device") int deliveredUsers,
        @JsonProperty("delivered_sockets") @Schema(description = "Acknowledging sockets, each counted once") long deliveredSockets,
        @JsonProperty("read_users") int readUsers,
        @JsonProperty("clicked_users") int clickedUsers,
        @JsonProperty("first_delivered_at") @Schema(nullable = true) OffsetDateTime firstDeliveredAt,
        @JsonProperty("last_delivered_at") @Schema(nullable = true) OffsetDateTime lastDeliveredAt,
        @JsonProperty("undelivered_user_ids") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "user/users audiences only: recipients no device acknowledged within "
                + "NOTIFY_DELIVERY_TIMEOUT (default 60 s) of the send; empty until that time has passed") List<String> undeliveredUserIds) {
}

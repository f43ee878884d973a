package io.notify.notification.inbox;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.NotificationView;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(description = "A page of the inbox. Pass `next_cursor` as `cursor` for the next page; null on the last page.")
public record InboxPage(
        List<NotificationView> items,
        @JsonProperty("next_cursor") @Schema(nullable = true) String nextCursor) {
}

package io.notify.notification.inbox;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.notify.notification.FutureWithin;
import jakarta.validation.constraints.NotNull;

/** {@code POST /{id}/snooze}'s body: until when the notification is out of the list and the counts. */
@Schema(example = "{\"until\": \"2026-12-07T09:00:00Z\"}")
public record Snooze(@NotNull @FutureWithin(days = 30) @Schema(description = "When it comes back, unread (ISO-8601 with "
        + "an offset): in the future, at most 30 days ahead", example = "2026-12-07T09:00:00Z") OffsetDateTime until) {
}

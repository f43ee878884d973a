package io.notify.notification.inbox;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.notify.notification.outbox.NotificationEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Everything addressed to a reader after a seq, in seq order, or {@code resync} when that cannot be
 * served (the seq is older than retention, or more changed than one answer holds): the client then
 * reloads its inbox and unread count and continues from {@code last_seq}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Events since `after`, oldest first (status ok), or status resync with the reason.",
        requiredProperties = { "status", "last_seq" })
public record ResumeResult(
        @Schema(enumeration = { "ok", "resync" }) String status,
        List<NotificationEvent> events,
        @JsonProperty("last_seq") @Schema(description = "Resume from here next time") long lastSeq,
        String reason) {

    public static ResumeResult ok(List<NotificationEvent> events, long lastSeq) {
        return new ResumeResult("ok", events, lastSeq, null);
    }

    public static ResumeResult resync(String reason, long lastSeq) {
        return new ResumeResult("resync", List.of(), lastSeq, reason);
    }
}

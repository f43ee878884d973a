package io.notify.notification.actions;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Which action of a notification a reader completed, and when: the answer of the completion and the inbox's mark. */
@RegisterForReflection
@Schema(description = "The action the reader completed.", example = """
        {"action_id": "approve", "completed_at": "2026-12-06T09:15:00.123456Z"}""")
public record ActionCompletion(
        @JsonProperty("action_id") String actionId,
        @JsonProperty("completed_at") OffsetDateTime completedAt) {
}

package io.notify.notification.inbox;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@Schema(description = "Unread notifications, excluding types the user switched off (urgent ones always count). "
        + "Counting stops at a limit (default 1000): `capped` true means \"at least `total`\". `unseen`: those of "
        + "them the user has not seen yet (above their seen watermark, `POST /api/notifications/seen`): the bell's badge.",
        example = "{\"total\": 3, \"by_priority\": {\"low\": 0, \"normal\": 2, \"high\": 0, \"urgent\": 1}, \"capped\": false, "
                + "\"unseen\": 1}")
public record UnreadCount(
        long total,
        @JsonProperty("by_priority") Map<String, Long> byPriority,
        boolean capped,
        long unseen) {
}

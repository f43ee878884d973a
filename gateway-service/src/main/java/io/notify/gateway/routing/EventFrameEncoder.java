package io.notify.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The socket protocol's event frames, server → client (docs/websocket-protocol.md): what live delivery
 * and a resume push for each event. The replies to client frames are the endpoint's
 * ({@code ReplyFrameEncoder}).
 */
@ApplicationScoped
public class EventFrameEncoder {

    private final ObjectMapper json;

    public EventFrameEncoder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The frame for an event, built once and written to every addressed socket as is; null for a
     * kind this gateway does not push.
     */
    public String forEvent(NotificationEvent event) {
        ObjectNode frame = json.createObjectNode();
        switch (event.kind()) {
            case "created", "resurfaced" -> {
                return event.notification() == null ? null : notification(event);
            }
            case "read" -> frame.put("type", "notification_read").put("notification_id", event.notificationId());
            case "deleted" -> frame.put("type", "notification_deleted").put("notification_id", event.notificationId());
            case "all_read" -> frame.put("type", "all_read").put("read_up_to", event.readUpTo());
            case "all_seen" -> frame.put("type", "all_seen").put("seen_up_to", event.seenUpTo());
            case "archived", "unarchived", "unsnoozed" -> frame.put("type", "notification_" + event.kind())
                    .put("notification_id", event.notificationId());
            case "snoozed" -> frame.put("type", "notification_snoozed").put("notification_id", event.notificationId())
                    .put("until", event.snoozedUntil());
            case "action_completed" -> frame.put("type", "action_completed").put("notification_id", event.notificationId())
                    .put("action_id", event.actionId()).set("completed_at", json.valueToTree(event.occurredAt()));
            case "preferences_updated" -> frame.put("type", "preferences_updated").set("preferences", event.preferences());
            case "subscription_changed" -> {
                if (event.subscription() == null) {
                    return null;
                }
                frame.put("type", "subscription_changed").put("topic", event.subscription().topic())
                        .put("subscribed", event.subscription().subscribed());
            }
            default -> {
                return null; // a kind from a newer store: skip rather than guess
            }
        }
        frame.put("seq", event.seq());
        return write(frame);
    }

    /**
     * The {@code notification} frame of a created (or resurfaced) event with {@code "silent": true}: for a user in their quiet hours
     * (the clients show no toast). Only when such a user is addressed ({@link EventFrames}).
     */
    public String silent(NotificationEvent event) {
        return write(envelope(event).put("silent", true));
    }

    /**
     * The seed's envelope {@code {id, type: "notification", payload: {...}}} plus {@code seq} (and {@code resurfaced}
     * for a snoozed one back).
     */
    private String notification(NotificationEvent event) {
        return write(envelope(event));
    }

    private ObjectNode envelope(NotificationEvent event) {
        ObjectNode n = event.notification();
        ObjectNode payload = json.createObjectNode();
        payload.set("id", n.get("id"));
        payload.set("title", n.get("title"));
        payload.set("message", n.get("message"));
        payload.set("type", n.get("type"));
        payload.set("priority", n.get("priority"));
        payload.set("created_at", n.get("created_at"));
        payload.put("read", n.path("read").asBoolean(false));
        payload.set("data", n.get("data"));
        copyIfPresent(n, payload, "link");
        copyIfPresent(n, payload, "sender");
        copyIfPresent(n, payload, "expires_at");
        copyIfPresent(n, payload, "external_id"); // the sender's own id (the seed's payload.id): clients match by it
        copyIfPresent(n, payload, "actions"); // its buttons (complete_action)
        ObjectNode frame = json.createObjectNode();
        frame.set("id", n.get("id"));
        frame.put("type", "notification");
        frame.put("seq", event.seq());
        if ("resurfaced".equals(event.kind())) {
            frame.put("resurfaced", true); // a snoozed one back, unread: clients put it back rather than drop it as a duplicate
        }
        frame.set("payload", payload);
        return frame;
    }

    private static void copyIfPresent(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value);
        }
    }

    private String write(JsonNode frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

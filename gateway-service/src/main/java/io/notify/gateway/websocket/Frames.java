package io.notify.gateway.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.notify.gateway.event.NotificationEvent;
import jakarta.enterprise.context.ApplicationScoped;

/** Server → client frames (see docs/websocket-protocol.md). */
@ApplicationScoped
public class Frames {

    private final ObjectMapper json;

    public Frames(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The frame for an event, built once and written to every addressed socket as is; null for a
     * kind this gateway does not push.
     */
    public String forEvent(NotificationEvent event) {
        ObjectNode frame = json.createObjectNode();
        switch (event.kind()) {
            case "created" -> {
                return event.notification() == null ? null : notification(event);
            }
            case "read" -> frame.put("type", "notification_read").put("notification_id", event.notificationId());
            case "deleted" -> frame.put("type", "notification_deleted").put("notification_id", event.notificationId());
            case "all_read" -> frame.put("type", "all_read").put("read_up_to", event.readUpTo());
            case "preferences_updated" -> frame.put("type", "preferences_updated").set("preferences", event.preferences());
            default -> {
                return null; // a kind from a newer store: skip rather than guess
            }
        }
        frame.put("seq", event.seq());
        return write(frame);
    }

    /** The seed's envelope {@code {id, type: "notification", payload: {...}}} plus {@code seq}. */
    private String notification(NotificationEvent event) {
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
        ObjectNode frame = json.createObjectNode();
        frame.set("id", n.get("id"));
        frame.put("type", "notification");
        frame.put("seq", event.seq());
        frame.set("payload", payload);
        return write(frame);
    }

    /** A reply to a client action: {@code fields} plus {@code type} and the client's {@code ref}. */
    public String reply(String type, JsonNode ref, ObjectNode fields) {
        ObjectNode frame = json.createObjectNode().put("type", type);
        withRef(frame, ref);
        if (fields != null) {
            fields.properties().forEach(e -> frame.set(e.getKey(), e.getValue()));
        }
        return write(frame);
    }

    public ObjectNode fields() {
        return json.createObjectNode();
    }

    public String pong(JsonNode ref) {
        return reply("pong", ref, null);
    }

    public String error(String code, String message, JsonNode ref) {
        return reply("error", ref, fields().put("code", code).put("message", message));
    }

    public String resync(JsonNode ref, long lastSeq, String reason) {
        return reply("resync", ref, fields().put("last_seq", lastSeq).put("reason", reason));
    }

    public String reconnect(long delayMs) {
        return reply("reconnect", null, fields().put("delay_ms", delayMs));
    }

    private static void withRef(ObjectNode frame, JsonNode ref) {
        if (ref != null && !ref.isNull()) {
            frame.set("ref", ref);
        }
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

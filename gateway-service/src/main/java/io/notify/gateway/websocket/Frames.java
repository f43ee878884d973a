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
     * The seed's envelope {@code {id, type: "notification", payload: {...}}} plus {@code seq}.
     * Built once per event and written to every addressed socket as is.
     */
    public String notification(NotificationEvent event) {
        ObjectNode n = event.notification();
        ObjectNode payload = json.createObjectNode();
        payload.set("id", n.get("id"));
        payload.set("title", n.get("title"));
        payload.set("message", n.get("message"));
        payload.set("type", n.get("type"));
        payload.set("priority", n.get("priority"));
        payload.set("created_at", n.get("created_at"));
        payload.put("read", false);
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

    public String pong(JsonNode ref) {
        ObjectNode frame = json.createObjectNode().put("type", "pong");
        withRef(frame, ref);
        return write(frame);
    }

    public String error(String code, String message, JsonNode ref) {
        ObjectNode frame = json.createObjectNode().put("type", "error").put("code", code).put("message", message);
        withRef(frame, ref);
        return write(frame);
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

package io.notify.gateway.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The socket protocol's replies and notices, server → client (docs/websocket-protocol.md): the answer to
 * each client frame (echoing its {@code ref}), errors, {@code resync} and {@code reconnect}. The frames of
 * events are routing's ({@code EventFrameEncoder}).
 */
@ApplicationScoped
public class ReplyFrameEncoder {

    private final ObjectMapper json;

    public ReplyFrameEncoder(ObjectMapper json) {
        this.json = json;
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

    private String write(JsonNode frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

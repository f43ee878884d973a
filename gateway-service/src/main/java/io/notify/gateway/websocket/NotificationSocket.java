package io.notify.gateway.websocket;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * {@code /api/ws}: authenticated on the HTTP upgrade (401 without a valid token), registered in
 * the routing index on open, removed on close.
 */
@Authenticated
@WebSocket(path = "/api/ws")
public class NotificationSocket {

    private static final Logger LOG = Logger.getLogger(NotificationSocket.class);

    private final ConnectionRegistry registry;
    private final MutedTypes mutedTypes;
    private final Frames frames;
    private final ObjectMapper json;
    private final JsonWebToken jwt;

    public NotificationSocket(ConnectionRegistry registry, MutedTypes mutedTypes, Frames frames, ObjectMapper json,
            JsonWebToken jwt) {
        this.registry = registry;
        this.mutedTypes = mutedTypes;
        this.frames = frames;
        this.json = json;
        this.jwt = jwt;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        SocketUser user = SocketUser.of(jwt);
        registry.add(connection, user);
        mutedTypes.load(user.userId(), jwt.getRawToken());
    }

    @OnClose
    void close(WebSocketConnection connection) {
        SocketUser user = registry.user(connection);
        registry.remove(connection);
        if (user != null) {
            mutedTypes.forgetIfGone(user.userId());
        }
    }

    /** Every reply is a frame on this socket; a bad frame gets an {@code error}, never a crash. */
    @OnTextMessage
    String message(String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JsonProcessingException e) {
            return frames.error("malformed_json", "Frames must be JSON objects", null);
        }
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            return frames.error("invalid_frame", "A frame is a JSON object with a string \"type\"", null);
        }
        JsonNode ref = frame.get("ref");
        String type = frame.get("type").asText();
        return switch (type) {
            case "ping" -> frames.pong(ref);
            default -> {
                LOG.debugf("Unknown frame type %s", type);
                yield frames.error("unknown_type", "Unknown frame type: " + abbreviate(type), ref);
            }
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}

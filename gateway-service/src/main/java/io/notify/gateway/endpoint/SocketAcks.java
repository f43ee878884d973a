package io.notify.gateway.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.receipts.ReceiptPublisher;
import io.notify.gateway.routing.Session;
import io.notify.gateway.transport.FrameTransport;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;

/**
 * The {@code ack} frame: the client received these {@code notification} frames. Counted are the ids pushed
 * to THIS socket and not acknowledged yet ({@link Session#acknowledge}); they go to the receipts
 * ({@link ReceiptPublisher}). The others (never pushed here, someone else's, already acknowledged) change
 * nothing and are named in one {@code error} {@code not_found}. A frame that is not 1 to {@value #MAX_IDS}
 * UUIDs is {@code invalid_request} and counts nothing. An accepted ack has no reply (contracts/asyncapi.yaml).
 *
 * <p>Runs on the socket's event loop, as every frame of it (see {@code NotificationSocket}); the socket's
 * rate limit has been applied already.
 */
@Singleton
public class SocketAcks {

    static final int MAX_IDS = 100;

    private final ReceiptPublisher receipts;
    private final FrameTransport out;
    private final ReplyFrameEncoder frames;
    private final GatewayMetrics metrics;

    public SocketAcks(ReceiptPublisher receipts, FrameTransport out, ReplyFrameEncoder frames, GatewayMetrics metrics) {
        this.receipts = receipts;
        this.out = out;
        this.frames = frames;
        this.metrics = metrics;
    }

    void ack(WebSocketConnection connection, Session session, JsonNode ids, JsonNode ref) {
        UUID[] parsed = parse(ids);
        if (parsed == null) {
            metrics.ackInvalid();
            error(connection, ref, "invalid_request",
                    "ack needs \"ids\": 1 to " + MAX_IDS + " ids of notification frames this socket received");
            return;
        }
        long now = System.currentTimeMillis();
        List<UUID> unknown = null;
        int accepted = 0;
        for (UUID id : parsed) {
            if (session.acknowledge(id)) {
                accepted++;
                receipts.acked(id, session.user(), now);
            } else {
                if (unknown == null) {
                    unknown = new ArrayList<>(2);
                }
                unknown.add(id);
            }
        }
        metrics.acksAccepted(accepted);
        if (unknown != null) {
            metrics.acksUnknown(unknown.size());
            error(connection, ref, "not_found", "Not pushed to this socket, or acknowledged already: "
                    + String.join(", ", unknown.stream().map(UUID::toString).toList()));
        }
    }

    /** The ids, or null when they are not an array of 1 to {@value #MAX_IDS} UUIDs. */
    private static UUID[] parse(JsonNode ids) {
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_IDS) {
            return null;
        }
        UUID[] parsed = new UUID[ids.size()];
        for (int i = 0; i < parsed.length; i++) {
            parsed[i] = uuid(ids.get(i));
            if (parsed[i] == null) {
                return null;
            }
        }
        return parsed;
    }

    /** A UUID in its canonical 36-character form, or null. */
    static UUID uuid(JsonNode value) {
        if (value == null || !value.isTextual() || value.asText().length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(value.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void error(WebSocketConnection connection, JsonNode ref, String code, String message) {
        metrics.error(code);
        out.send(connection, frames.error(code, message, ref));
    }
}

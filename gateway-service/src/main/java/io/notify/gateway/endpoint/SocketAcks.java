package io.notify.gateway.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.buffer.ByteBuf;
import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.receipts.ReceiptPublisher;
import io.notify.gateway.routing.Session;
import io.notify.gateway.transport.FrameTransport;
import io.notify.gateway.transport.InboundShortcut;
import io.notify.gateway.transport.SocketWire;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;

/**
 * The {@code ack} frame: the client received these {@code notification} frames. Counted are the ids pushed
 * to THIS socket and not acknowledged yet ({@link Session#acknowledge}); they go to the receipts
 * ({@link ReceiptPublisher}). The others (never pushed here, someone else's, already acknowledged) change
 * nothing and are named in one {@code error} {@code not_found}. A frame that is not 1 to {@value #MAX_IDS}
 * UUIDs is {@code invalid_request} and counts nothing. An accepted ack has no reply (contracts/asyncapi.yaml).
 *
 * <p>Two ways in, one outcome. A client sends one of these per notification it receives, so the usual one, every id
 * pending here and the socket within its rate, in the exact form the clients write ({@link AckFrame}), is taken
 * straight off the Netty pipeline on the netty transport ({@link #handled}): no String, JSON tree, Uni or context
 * per frame. Everything else (an unknown id, a flood, a {@code ref}, another spelling, the plain transport) comes
 * through {@code NotificationSocket} to {@link #ack}, after the socket's rate limit. Both run on the socket's event
 * loop.
 */
@Singleton
public class SocketAcks implements InboundShortcut {

    static final int MAX_IDS = 100;

    private final ReceiptPublisher receipts;
    private final FrameTransport out;
    private final ReplyFrameEncoder frames;
    private final GatewayMetrics metrics;
    private final InboundRate rate;

    public SocketAcks(ReceiptPublisher receipts, FrameTransport out, ReplyFrameEncoder frames, GatewayMetrics metrics,
            InboundRate rate) {
        this.receipts = receipts;
        this.out = out;
        this.frames = frames;
        this.metrics = metrics;
        this.rate = rate;
    }

    /**
     * An ack frame of the clients' form whose ids are all pending on this socket, within its rate: counted here,
     * all of it, and nothing goes on. Any other message: false, nothing done.
     */
    @Override
    public boolean handled(SocketWire socket, ByteBuf text) {
        if (!(socket instanceof Session session)) {
            return false;
        }
        long[] bits = AckFrame.parse(text);
        if (bits == null) {
            return false;
        }
        int n = bits.length / 2;
        if (!session.acknowledgeAll(bits, n, rate.limit())) {
            return false; // the general path answers it: not_found names the ids, or rate_limited
        }
        session.heard();
        session.accepted();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            receipts.acked(new UUID(bits[2 * i], bits[2 * i + 1]), session.user(), now);
        }
        metrics.acksAccepted(n);
        return true;
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

package io.notify.gateway.websocket;

import java.time.Duration;
import java.time.OffsetDateTime;

import org.jboss.logging.Logger;

import io.notify.gateway.config.GatewayConfig;
import io.notify.gateway.metrics.GatewayMetrics;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every frame the gateway writes goes through here. A socket's backlog of written-but-unflushed
 * frames is bounded: a client that stops reading is closed with 1013 (it reconnects and resumes)
 * instead of growing the heap.
 */
@ApplicationScoped
public class Outbound {

    private static final Logger LOG = Logger.getLogger(Outbound.class);

    public static final short SLOW_CONSUMER = 1013;

    private final GatewayConfig config;
    private final GatewayMetrics metrics;

    public Outbound(GatewayConfig config, GatewayMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    public void send(WebSocketConnection connection, String frame) {
        write(connection, frame, null);
    }

    /** An event's frame: counted as a delivery, with its lag from the event's time. */
    public void deliver(WebSocketConnection connection, String frame, OffsetDateTime occurredAt) {
        write(connection, frame, occurredAt == null ? OffsetDateTime.MIN : occurredAt);
    }

    public void close(WebSocketConnection connection, int code, String reason, String kind) {
        metrics.error(kind);
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(
                    ignored -> {
                    },
                    failure -> LOG.debugf("Closing %s failed: %s", connection.id(), failure));
        }
    }

    private void write(WebSocketConnection connection, String frame, OffsetDateTime occurredAt) {
        if (!connection.isOpen()) {
            return;
        }
        Session session = connection.userData().get(Session.KEY);
        if (session != null && session.pendingWrites.incrementAndGet() > config.outboundQueueLimit()) {
            session.pendingWrites.decrementAndGet();
            metrics.dropped("slow_consumer");
            close(connection, SLOW_CONSUMER, "slow consumer: reconnect and resume", "slow_consumer");
            return;
        }
        connection.sendText(frame).subscribe().with(
                ignored -> {
                    written(session);
                    if (occurredAt != null) {
                        metrics.delivered(occurredAt == OffsetDateTime.MIN ? null
                                : Duration.between(occurredAt.toInstant(), java.time.Instant.now()));
                    }
                },
                failure -> {
                    written(session);
                    metrics.dropped("closed");
                });
    }

    private static void written(Session session) {
        if (session != null) {
            session.pendingWrites.decrementAndGet();
        }
    }
}

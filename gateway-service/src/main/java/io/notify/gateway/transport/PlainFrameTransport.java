package io.notify.gateway.transport;

import java.util.List;

import org.jboss.logging.Logger;

import io.notify.gateway.GatewayMetrics;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;

/**
 * The fallback transport ({@code notify.gateway.transport=plain}): websockets-next's public API only
 * ({@code sendText}, {@code sendPing}, {@code close}), for when a Quarkus upgrade breaks the internals the
 * netty transport reaches. Same frames, same protocol; what it gives up, because websockets-next exposes
 * no way to it:
 * <ul>
 * <li>speed: each socket's frame is encoded again by Vert.x and sent through a Uni (a thread hop and a few
 * objects per socket and frame), and each write is flushed on its own;
 * <li>the outbound bound: a client that stops reading is not closed with 1013, its frames queue in
 * Netty's outbound buffer (the heap grows with it until the idle timeout closes it);
 * <li>the close frame on a protocol violation: a frame with an RSV bit set is still refused by Netty's
 * decoder (no extension is negotiated), but Vert.x then cuts the TCP connection without a 1002 close
 * frame (the client sees 1006);
 * <li>memory per idle socket: Vert.x's HTTP idle-timeout handler stays in each socket's pipeline.
 * </ul>
 */
public final class PlainFrameTransport implements FrameTransport {

    private static final Logger LOG = Logger.getLogger(PlainFrameTransport.class);

    private final GatewayMetrics metrics;

    public PlainFrameTransport(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean attach(SocketWire socket) {
        return true; // nothing to reach: websockets-next writes
    }

    @Override
    public void write(List<Write> writes) {
        long now = System.currentTimeMillis();
        int delivered = 0;
        int forgotten = 0;
        EncodedFrame lagged = null;
        for (Write w : writes) {
            SocketWire socket = w.socket();
            EncodedFrame frame = w.frame();
            if (socket.closing || !socket.connection.isOpen()) {
                metrics.droppedClosed();
                continue;
            }
            // remembered before the send: the client's ack may come back before this thread goes on
            if (frame.notificationId != null && socket.pushed(frame.notificationId)) {
                forgotten++;
            }
            Sockets.sendText(socket.connection, frame.text);
            if (frame.delivery()) {
                delivered++;
                if (frame != lagged) { // one sample per event and batch
                    lagged = frame;
                    metrics.lag(frame.occurredAtMillis == 0 ? -1 : now - frame.occurredAtMillis);
                }
            }
        }
        metrics.delivered(delivered);
        metrics.pendingAcksForgotten(forgotten);
    }

    @Override
    public void send(WebSocketConnection connection, String text) {
        Sockets.sendText(connection, text);
    }

    @Override
    public void ping(List<? extends SocketWire> sockets, long spreadMillis) {
        for (SocketWire socket : sockets) {
            if (!socket.closing && socket.connection.isOpen()) {
                socket.connection.sendPing(Buffer.buffer()).subscribe().with(ignored -> {
                }, failure -> LOG.debugf("Ping to %s failed: %s", socket.connection.id(), failure));
            }
        }
    }

    @Override
    public void close(WebSocketConnection connection, int code, String reason, String kind) {
        Sockets.close(metrics, connection, code, reason, kind);
    }
}

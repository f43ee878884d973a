package io.notify.gateway.transport;

import org.jboss.logging.Logger;

import io.notify.gateway.GatewayMetrics;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/** What both transports do alike, through websockets-next's public API. */
final class Sockets {

    private static final Logger LOG = Logger.getLogger(Sockets.class);

    private Sockets() {
    }

    static void sendText(WebSocketConnection connection, String text) {
        connection.sendText(text).subscribe().with(ignored -> {
        }, failure -> LOG.debugf("Write to %s failed: %s", connection.id(), failure));
    }

    static void close(GatewayMetrics metrics, WebSocketConnection connection, int code, String reason, String kind) {
        metrics.error(kind);
        SocketWire socket = connection.userData().get(SocketWire.KEY);
        if (socket != null) {
            socket.closing = true; // before the close frame: no data frame may follow it
        }
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(
                    ignored -> {
                    },
                    failure -> LOG.debugf("Closing %s failed: %s", connection.id(), failure));
        }
    }
}

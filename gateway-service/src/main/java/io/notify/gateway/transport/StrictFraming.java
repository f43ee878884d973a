package io.notify.gateway.transport;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.notify.gateway.GatewayConfig;
import io.notify.gateway.GatewayMetrics;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * A client frame that breaks RFC 6455 fails its connection with the close code the spec names
 * (1002 protocol error; 1009 for a frame over the size limit), and nothing of it reaches the socket's
 * handlers.
 *
 * <p>No WebSocket extension is ever negotiated, so a frame with an RSV bit set is a protocol error
 * (§5.2). Vert.x lets Netty's frame decoder accept RSV bits whenever a compression extension is
 * offered, and offers per-frame deflate by default: both are switched off here, and the decoder then
 * refuses such a frame before reading its payload (the bit test it makes on every frame anyway).
 * Compression would also cost a zlib context per socket and an encode per socket per frame, against
 * fan-out writing one encoded frame to every socket.
 *
 * <p>A refused frame surfaces as an exception on the channel, which Vert.x answers by cutting the TCP
 * connection without a close frame. So every WebSocket upgrade gets a small Netty handler in front of
 * Vert.x's (installed on the HTTP connection before the handshake, so it is there for the first frame)
 * that sends the close frame first. That handler reaches Vert.x internals (the connection's channel), so it is part of
 * the netty transport: the plain one ({@code notify.gateway.transport=plain}) keeps the extensions off
 * (RSV frames are still refused) but installs no handler, and such a connection is cut without a close
 * frame (see {@link PlainFrameTransport}).
 *
 * <p>The same handler, being there anyway, offers each complete text message of an open socket to the
 * {@link InboundShortcut} first (the {@code ack} frames, read straight from the decoded frame's bytes), and passes on
 * whatever it does not take.
 */
@ApplicationScoped
public class StrictFraming implements HttpServerOptionsCustomizer {

    static final String PER_MESSAGE_COMPRESSION = "quarkus.websockets-next.server.per-message-compression-supported";
    static final String HANDLER_NAME = "notify-strict-framing";
    /** Vert.x's own handler, last in every HTTP/1.x connection's pipeline. */
    private static final String VERTX_HANDLER_NAME = "handler";
    /** Before security and before websockets-next upgrades the connection. */
    private static final int FILTER_PRIORITY = 2000;

    private final boolean perMessageCompression;
    private final boolean closeFrameOnViolation;
    private final Guard guard;

    public StrictFraming(@ConfigProperty(name = PER_MESSAGE_COMPRESSION) boolean perMessageCompression,
            GatewayConfig config, GatewayMetrics metrics, Instance<InboundShortcut> shortcut) {
        this.perMessageCompression = perMessageCompression;
        this.closeFrameOnViolation = config.transport() == GatewayConfig.Transport.NETTY;
        this.guard = new Guard(metrics, shortcut);
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        noExtensions(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        noExtensions(options);
    }

    @Override
    public void customizeDomainSocketServer(HttpServerOptions options) {
        noExtensions(options);
    }

    private void noExtensions(HttpServerOptions options) {
        // websockets-next applies its own setting in its own customizer (in no set order): refuse to
        // start rather than let RSV frames through
        if (perMessageCompression) {
            throw new IllegalStateException(PER_MESSAGE_COMPRESSION + " must be false: with an extension offered, "
                    + "frames with RSV bits would no longer be refused (RFC 6455 §5.2)");
        }
        options.setPerFrameWebSocketCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false);
    }

    void register(@Observes Filters filters) {
        if (closeFrameOnViolation) {
            filters.register(this::beforeUpgrade, FILTER_PRIORITY);
        }
    }

    private void beforeUpgrade(RoutingContext context) {
        if ("websocket".equalsIgnoreCase(context.request().getHeader("Upgrade"))) {
            install(context);
        }
        context.next();
    }

    /** Throws (the upgrade then fails with 500) rather than let a socket open without it. */
    private void install(RoutingContext context) {
        if (!(context.request().connection() instanceof ConnectionBase connection)) {
            throw new IllegalStateException("Not an HTTP/1.x connection: " + context.request().connection());
        }
        ChannelPipeline pipeline = connection.channel().pipeline();
        // a keep-alive connection may carry several upgrade attempts (after a 401)
        if (pipeline.get(HANDLER_NAME) == null) {
            pipeline.addBefore(VERTX_HANDLER_NAME, HANDLER_NAME, guard);
        }
    }

    /** Whether the handler is in the socket's pipeline (checked when a socket opens). */
    static boolean installed(ChannelHandlerContext channel) {
        return channel.pipeline().get(HANDLER_NAME) != null;
    }

    /** In front of Vert.x's handler on every WebSocket connection of the netty transport. */
    @ChannelHandler.Sharable
    static final class Guard extends ChannelInboundHandlerAdapter {

        private static final Logger LOG = Logger.getLogger(Guard.class);

        private final GatewayMetrics metrics;
        /**
         * Resolved on the first message: this handler is made while the HTTP server starts, before the shortcut's
         * dependencies (the receipts' Kafka emitter) can be.
         */
        private final Instance<InboundShortcut> shortcuts;
        private volatile InboundShortcut shortcut;

        Guard(GatewayMetrics metrics, Instance<InboundShortcut> shortcuts) {
            this.metrics = metrics;
            this.shortcuts = shortcuts;
        }

        /**
         * A complete text message of an open socket (one final text frame: a fragmented message goes the general
         * way) is offered to the shortcut; if it takes it, the frame ends here.
         */
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof TextWebSocketFrame frame && frame.isFinalFragment()) {
                SocketWire socket = context.channel().attr(SocketWire.CHANNEL_KEY).get();
                if (socket != null && !socket.closing && taken(socket, frame)) {
                    frame.release();
                    return;
                }
            }
            context.fireChannelRead(message);
        }

        private boolean taken(SocketWire socket, TextWebSocketFrame frame) {
            InboundShortcut to = shortcut;
            if (to == null) {
                shortcut = to = shortcuts.get();
            }
            try {
                return to.handled(socket, frame.content());
            } catch (RuntimeException e) { // a defect: the general path answers the frame instead of a crash
                LOG.warnf(e, "The inbound shortcut failed on socket %s: the frame goes the general way", socket.connection.id());
                return false;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (!(cause instanceof CorruptedWebSocketFrameException corrupt)) {
                context.fireExceptionCaught(cause);
                return;
            }
            // the decoder reads nothing more from this connection: fail it (RFC 6455 §7.1.7), and
            // Vert.x sees it close like any other (the socket's @OnClose runs)
            WebSocketCloseStatus status = corrupt.closeStatus();
            metrics.error(status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code() ? "message_too_big" : "protocol_error");
            if (context.channel().isActive()) {
                context.writeAndFlush(new CloseWebSocketFrame(status, reason(corrupt.getMessage())))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** A close reason fits in 123 bytes. */
        private static String reason(String message) {
            String reason = "protocol error: " + message;
            return reason.length() <= 100 ? reason : reason.substring(0, 100);
        }
    }
}

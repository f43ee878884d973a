package io.notify.gateway.websocket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.ext.web.impl.ServerWebSocketWrapper;

/**
 * The Netty channel behind a websockets-next connection. Fan-out writes one pre-encoded frame to
 * thousands of channels from their own event loops; {@code sendText} would encode the string, build
 * a Uni and hop threads once per socket. websockets-next keeps its Vert.x socket package-private,
 * so it is looked up once here. A runtime that no longer has it fails the first socket loudly (and
 * the gateway's tests with it) rather than running without the outbound bound.
 */
@RegisterForReflection(targets = { WebSocketConnectionBase.class, ServerWebSocketWrapper.class })
final class SocketChannels {

    private static final MethodHandle WEB_SOCKET;
    /** Vert.x Web wraps the server socket (for forwarded host/scheme): the wrapped one has the channel. */
    private static final MethodHandle WRAPPED;

    static {
        try {
            WEB_SOCKET = MethodHandles.privateLookupIn(WebSocketConnectionBase.class, MethodHandles.lookup())
                    .findVirtual(WebSocketConnectionBase.class, "webSocket", MethodType.methodType(WebSocketBase.class));
            WRAPPED = MethodHandles.privateLookupIn(ServerWebSocketWrapper.class, MethodHandles.lookup())
                    .findGetter(ServerWebSocketWrapper.class, "delegate", ServerWebSocket.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This websockets-next / Vert.x version hides the socket's channel: update SocketChannels", e);
        }
    }

    private SocketChannels() {
    }

    /**
     * The channel of {@code connection} with its write buffer bounded to {@code outboundBytes}: past
     * that the channel reports itself unwritable and {@link Outbound} closes the slow consumer. Called
     * once, when the socket opens. The context returned is the WebSocket frame encoder's: {@link Outbound}
     * writes frames it encoded itself from there, so they skip the encoder and whatever HTTP handlers
     * Vert.x left in the pipeline, and pass only the handlers nearer the wire (TLS, when enabled).
     */
    static ChannelHandlerContext of(WebSocketConnection connection, int outboundBytes) {
        WebSocketBase socket;
        try {
            socket = (WebSocketBase) WEB_SOCKET.invoke(connection);
            while (socket instanceof ServerWebSocketWrapper wrapper) {
                socket = (WebSocketBase) WRAPPED.invoke(wrapper);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot reach the channel of " + connection.id(), e);
        }
        if (!(socket instanceof WebSocketInternal internal)) {
            throw new IllegalStateException("Unexpected WebSocket implementation " + socket.getClass());
        }
        // Vert.x keeps its own copy of the upgrade's headers on the socket for the socket's life;
        // nothing reads it after the handshake (websockets-next's copy serves handshakeRequest())
        socket.headers().clear();
        ChannelHandlerContext encoder = internal.channelHandlerContext().pipeline().context(WebSocketFrameEncoder.class);
        if (encoder == null) {
            throw new IllegalStateException("No WebSocket frame encoder in the pipeline of " + connection.id());
        }
        encoder.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(outboundBytes / 2, outboundBytes));
        return encoder;
    }
}

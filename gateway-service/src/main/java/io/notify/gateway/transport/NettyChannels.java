package io.notify.gateway.transport;

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
 * The Netty channel behind a websockets-next connection: the internals the netty transport relies on,
 * all reached here. Fan-out writes one pre-encoded frame to thousands of channels from their own event
 * loops; {@code sendText} would encode the string, build a Uni and hop threads once per socket.
 * websockets-next keeps its Vert.x socket package-private, so it is looked up once here. A runtime that
 * no longer has one of these internals fails the first socket loudly (and NettyInternalsTest names the
 * one that moved) rather than running without the outbound bound; {@code notify.gateway.transport=plain}
 * then runs without any of them.
 */
@RegisterForReflection(targets = { WebSocketConnectionBase.class, ServerWebSocketWrapper.class })
final class NettyChannels {

    /** What to do when one of the internals moved. */
    static final String FALL_BACK = "set notify.gateway.transport=plain to run without it, and update NettyChannels";

    private NettyChannels() {
    }

    /** Resolved on first use; a failure names the internal that moved. */
    private static final class Internals {
        static final MethodHandle WEB_SOCKET = lookUp("websockets-next: the private method WebSocketConnectionBase.webSocket() "
                + "(the connection's Vert.x socket)", () -> MethodHandles.privateLookupIn(WebSocketConnectionBase.class,
                        MethodHandles.lookup()).findVirtual(WebSocketConnectionBase.class, "webSocket",
                                MethodType.methodType(WebSocketBase.class)));
        /** Vert.x Web wraps the server socket (for forwarded host/scheme): the wrapped one has the channel. */
        static final MethodHandle WRAPPED = lookUp("Vert.x Web: the private field ServerWebSocketWrapper.delegate "
                + "(the wrapped server socket)", () -> MethodHandles.privateLookupIn(ServerWebSocketWrapper.class,
                        MethodHandles.lookup()).findGetter(ServerWebSocketWrapper.class, "delegate", ServerWebSocket.class));
    }

    private interface Lookup {
        MethodHandle find() throws ReflectiveOperationException;
    }

    private static MethodHandle lookUp(String internal, Lookup lookup) {
        try {
            return lookup.find();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("The netty transport's internal is gone in this Quarkus/Vert.x version: "
                    + internal + "; " + FALL_BACK, e);
        }
    }

    /** Resolves every internal reached by reflection; throws naming the first that moved. */
    static void verify() {
        try {
            if (Internals.WEB_SOCKET == null || Internals.WRAPPED == null) {
                throw new IllegalStateException("The netty transport's internals resolved to nothing; " + FALL_BACK);
            }
        } catch (ExceptionInInitializerError e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /**
     * The channel of {@code connection} with its write buffer bounded to {@code outboundBytes}: past
     * that the channel reports itself unwritable and {@link NettyFrameTransport} closes the slow consumer. Called
     * once, when the socket opens. The context returned is the WebSocket frame encoder's: {@link NettyFrameTransport}
     * writes frames it encoded itself from there, so they skip the encoder and whatever HTTP handlers
     * Vert.x left in the pipeline, and pass only the handlers nearer the wire (TLS, when enabled).
     */
    static ChannelHandlerContext of(WebSocketConnection connection, int outboundBytes) {
        WebSocketBase socket;
        try {
            socket = (WebSocketBase) Internals.WEB_SOCKET.invoke(connection);
            while (socket instanceof ServerWebSocketWrapper wrapper) {
                socket = (WebSocketBase) Internals.WRAPPED.invoke(wrapper);
            }
        } catch (IllegalStateException | ExceptionInInitializerError e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot reach the channel of " + connection.id() + "; " + FALL_BACK, e);
        }
        if (!(socket instanceof WebSocketInternal internal)) {
            throw new IllegalStateException("Vert.x: the socket is no longer a WebSocketInternal (its channel context) but "
                    + socket.getClass() + "; " + FALL_BACK);
        }
        // Vert.x keeps its own copy of the upgrade's headers on the socket for the socket's life;
        // nothing reads it after the handshake (websockets-next's copy, released at open too, serves handshakeRequest())
        socket.headers().clear();
        ChannelHandlerContext encoder = internal.channelHandlerContext().pipeline().context(WebSocketFrameEncoder.class);
        if (encoder == null) {
            throw new IllegalStateException("Netty/Vert.x: no WebSocketFrameEncoder in the pipeline of " + connection.id()
                    + " (the netty transport writes encoded frames from its position); " + FALL_BACK);
        }
        encoder.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(outboundBytes / 2, outboundBytes));
        return encoder;
    }
}

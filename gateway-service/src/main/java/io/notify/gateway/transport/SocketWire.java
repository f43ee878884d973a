package io.notify.gateway.transport;

import java.util.UUID;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * An open socket as the transport writes to it: its connection and, on the netty transport, the
 * Netty channel behind it. The routing index's {@code Session} extends it, so a socket costs no extra
 * object for its transport state.
 */
public class SocketWire {

    /** Where the endpoint keeps a socket's {@code Session} (this, seen from the transport). */
    public static final UserData.TypedKey<SocketWire> KEY = new UserData.TypedKey<>("notify.session");
    /** The same, on the socket's Netty channel (netty transport): what {@link StrictFraming}'s handler reads it from. */
    static final AttributeKey<SocketWire> CHANNEL_KEY = AttributeKey.valueOf("notify.session");

    final WebSocketConnection connection;
    /**
     * The context of the channel's WebSocket frame encoder: frames are written from there, already
     * encoded (netty transport; null on the plain one). Set by {@link FrameTransport#attach}.
     */
    ChannelHandlerContext wire;
    /** The event loop that owns the socket's channel (netty transport; null on the plain one): fan-out groups writes by it. */
    EventLoop loop;
    /** Set when the outbound bound closed it: later frames are dropped, not queued. */
    volatile boolean slow;
    /**
     * Set once a close began (the gateway's or the client's): no data frame may follow a close frame.
     * Checked with the channel's own state, instead of asking websockets-next and Vert.x (a lock each) per write.
     */
    volatile boolean closing;
    /** Written to but not flushed yet, within one write task (touched only on the socket's event loop). */
    boolean flushPending;

    protected SocketWire(WebSocketConnection connection) {
        this.connection = connection;
    }

    public final WebSocketConnection connection() {
        return connection;
    }

    /** No frame is written to it from now on (it is being closed). */
    public final void closing() {
        closing = true;
    }

    /**
     * A {@code notification} frame of {@code notificationId} was written to it (called by the transports,
     * see {@link EncodedFrame#notificationId}); true when an older pending id was forgotten for it.
     */
    public boolean pushed(UUID notificationId) {
        return false;
    }
}

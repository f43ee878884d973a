package io.notify.gateway.websocket;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandlerContext;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open socket as the gateway knows it: its connection and the Netty channel behind it (frames
 * are written there directly, see {@link Outbound}), who it is, the token it acts with
 * (replaced by {@code refresh_token}) and when that expires, its inbound rate budget and when it
 * was last heard from. The routing index holds these.
 */
public final class Session {

    static final UserData.TypedKey<Session> KEY = new UserData.TypedKey<>("notify.session");

    final WebSocketConnection connection;
    /** The context of the channel's WebSocket frame encoder: frames are written from there, already encoded. */
    final ChannelHandlerContext wire;
    private volatile SocketUser user;
    private volatile String token;
    volatile long lastHeardNanos = System.nanoTime();
    /** When the liveness sweep last pinged it (touched only by the sweep). */
    long lastPingNanos = lastHeardNanos;
    /** Set when the sweep closed it (expired or idle): closing takes a round trip, one close is enough. */
    boolean swept;
    final AtomicInteger overLimit = new AtomicInteger();
    /** Set when the outbound bound closed it: later frames are dropped, not queued. */
    volatile boolean slow;
    /**
     * Set once a close began (the gateway's or the client's): no data frame may follow a close frame.
     * Checked with the channel's own state, instead of asking websockets-next and Vert.x (a lock each) per write.
     */
    volatile boolean closing;
    /** Written to but not flushed yet, within one write task (touched only on the socket's event loop). */
    boolean flushPending;
    private final double perNano;
    private final double burst;
    private double tokens;
    private long refilled = System.nanoTime();

    Session(WebSocketConnection connection, ChannelHandlerContext wire, SocketUser user, String token,
            int ratePerSecond, int burst) {
        this.connection = connection;
        this.wire = wire;
        this.user = user;
        this.token = token;
        this.perNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    public SocketUser user() {
        return user;
    }

    public String token() {
        return token;
    }

    public Instant expiresAt() {
        return user.expiresAt();
    }

    void refreshed(SocketUser newUser, String newToken) {
        this.user = newUser;
        this.token = newToken;
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Takes one inbound frame from the budget; false when the socket is over its rate. */
    synchronized boolean allowInbound() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilled) * perNano);
        refilled = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

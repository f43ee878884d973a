package io.notify.gateway.routing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.notify.gateway.transport.SocketWire;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open socket as the gateway knows it: its connection and what the transport writes to
 * ({@link SocketWire}), who it is, the token it acts with (replaced by {@code refresh_token}) and when
 * that expires, its inbound rate budget and when it was last heard from. The routing index holds these.
 */
public final class Session extends SocketWire {

    /** The same entry as {@link SocketWire#KEY}, typed for the endpoint. */
    public static final UserData.TypedKey<Session> KEY = new UserData.TypedKey<>(SocketWire.KEY.value());

    private volatile SocketUser user;
    private volatile String token;
    private volatile long lastHeardNanos = System.nanoTime();
    /** When the liveness sweep last pinged it (touched only by the sweep). */
    private long lastPingNanos = lastHeardNanos;
    /** Set when the sweep closed it (expired or idle): closing takes a round trip, one close is enough. */
    private boolean swept;
    private final AtomicInteger overLimit = new AtomicInteger();
    private final double perNano;
    private final double burst;
    private double tokens;
    private long refilled = System.nanoTime();

    public Session(WebSocketConnection connection, SocketUser user, String token, int ratePerSecond, int burst) {
        super(connection);
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

    public void refreshed(SocketUser newUser, String newToken) {
        this.user = newUser;
        this.token = newToken;
    }

    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Whether the liveness sweep should ping it now ({@code pingEvery} after its last ping); if so, counts it pinged. */
    public boolean pingDue(long now, long pingEvery) {
        if (now - lastPingNanos >= pingEvery) {
            lastPingNanos = now;
            return true;
        }
        return false;
    }

    /** Whether the sweep closed it already. */
    public boolean swept() {
        return swept;
    }

    /** The sweep closes it (expired or idle). */
    public void sweep() {
        swept = true;
    }

    /** Frames refused in a row by the rate limit, after one more. */
    public int refusedInARow() {
        return overLimit.incrementAndGet();
    }

    /** A frame within the rate ends a run of refused ones. */
    public void accepted() {
        overLimit.set(0);
    }

    /** Takes one inbound frame from the budget; false when the socket is over its rate. */
    public synchronized boolean allowInbound() {
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

package io.notify.gateway.websocket;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.websockets.next.UserData;

/**
 * What the gateway knows about one socket beyond its routing identity: the token it acts with
 * (replaced by {@code refresh_token}), when that token expires, its inbound rate budget, its
 * outbound backlog and when it was last heard from.
 */
public final class Session {

    static final UserData.TypedKey<Session> KEY = new UserData.TypedKey<>("notify.session");

    private volatile SocketUser user;
    private volatile String token;
    volatile long expiryTimer = -1;
    volatile long lastHeardNanos = System.nanoTime();
    final AtomicInteger pendingWrites = new AtomicInteger();
    final AtomicInteger overLimit = new AtomicInteger();
    private final double perNano;
    private final double burst;
    private double tokens;
    private long refilled = System.nanoTime();

    Session(SocketUser user, String token, int ratePerSecond, int burst) {
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

package io.notify.gateway.routing;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.notify.gateway.transport.SocketWire;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open socket as the gateway knows it: its connection and what the transport writes to
 * ({@link SocketWire}), who it is, the token it acts with (replaced by {@code refresh_token}) and when
 * that expires, its inbound rate budget and when it was last heard from, and the notifications pushed to it
 * that it has not acknowledged yet ({@code ack} frames). The routing index holds these.
 *
 * <p>Pending acks and threads: ids are added where a {@code notification} frame is written (the socket's
 * event loop on the netty transport; the Kafka connector's thread on the plain one; a store call's
 * completion for a {@code resume} replay) and removed by the socket's {@code ack} frames (its event loop).
 * Both go through this object's monitor, almost never contended (one socket's writes and reads).
 */
public final class Session extends SocketWire {

    /** The same entry as {@link SocketWire#KEY}, typed for the endpoint. */
    public static final UserData.TypedKey<Session> KEY = new UserData.TypedKey<>(SocketWire.KEY.value());

    private volatile SocketUser user;
    private volatile long lastHeardNanos = System.nanoTime();
    /** When the liveness sweep last pinged it (touched only by the sweep). */
    private long lastPingNanos = lastHeardNanos;
    /** Set when the sweep closed it (expired or idle): closing takes a round trip, one close is enough. */
    private boolean swept;
    private final AtomicInteger overLimit = new AtomicInteger();
    /**
     * The inbound rate budget ({@link FrameRate}): when the socket's next frame is due in a steady flow; the budget
     * is full while that lies in the past.
     */
    private long nextFrameNanos = lastHeardNanos;
    /** Notifications pushed and not acknowledged yet: null while there are none (most of the time). */
    private PendingAcks pending;

    /** Ids a socket may leave unacknowledged; past it the oldest is forgotten (an ack of it is then not_found). */
    public static final int PENDING_ACKS_BOUND = 256;

    public Session(WebSocketConnection connection, SocketUser user) {
        super(connection);
        this.user = user;
    }

    public SocketUser user() {
        return user;
    }

    public Instant expiresAt() {
        return user.expiresAt();
    }

    public void refreshed(SocketUser newUser) {
        this.user = newUser;
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

    /**
     * Takes one inbound frame from the budget {@code rate} describes (the same for every socket); false when the
     * socket is over its rate, and then nothing is taken. The generic cell rate algorithm: a frame is allowed unless
     * the socket's next due time lies more than the burst's tolerance ahead of now.
     */
    public synchronized boolean allowInbound(FrameRate rate) {
        long now = System.nanoTime();
        long due = nextFrameNanos - now < 0 ? now : nextFrameNanos;
        if (due - now > rate.toleranceNanos()) {
            return false;
        }
        nextFrameNanos = due + rate.intervalNanos();
        return true;
    }

    /**
     * A {@code notification} frame of {@code notificationId} was written to it: the socket may acknowledge it
     * once. Returns true when the oldest pending id was forgotten for it ({@link #PENDING_ACKS_BOUND}).
     */
    @Override
    public synchronized boolean pushed(UUID notificationId) {
        if (pending == null) {
            pending = new PendingAcks();
        }
        return pending.add(notificationId, PENDING_ACKS_BOUND);
    }

    /** Acknowledges {@code notificationId} if it was pushed here and not acknowledged yet; false otherwise. */
    public synchronized boolean acknowledge(UUID notificationId) {
        if (pending == null || !pending.remove(notificationId)) {
            return false;
        }
        if (pending.size() == 0) {
            pending = null; // an idle socket that acknowledged everything holds nothing for it
        }
        return true;
    }

    /**
     * Acknowledges all {@code n} ids of {@code bits} ({@code [msb, lsb]} pairs) at once, taking one inbound frame from
     * the budget {@code limit} describes, if every id is pending here (each listed once) and the socket is within its
     * rate; otherwise changes nothing (no id, no budget) and answers false. The ack frames read off the Netty
     * pipeline ({@code SocketAcks#handled}) come here: all or nothing, so a frame it refuses can be handled from
     * scratch by the general path.
     */
    public synchronized boolean acknowledgeAll(long[] bits, int n, FrameRate limit) {
        if (pending == null || !pending.containsAll(bits, n) || !allowInbound(limit)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            pending.remove(bits[2 * i], bits[2 * i + 1]);
        }
        if (pending.size() == 0) {
            pending = null;
        }
        return true;
    }

    /** Notifications pushed here and not acknowledged yet. */
    public synchronized int pendingAcks() {
        return pending == null ? 0 : pending.size();
    }

    /** Whether it holds a pending-ack structure at all (for tests: none once everything is acknowledged). */
    synchronized boolean holdsPendingAcks() {
        return pending != null;
    }
}

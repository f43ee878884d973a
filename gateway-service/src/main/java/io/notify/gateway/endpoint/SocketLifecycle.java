package io.notify.gateway.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.notify.gateway.GatewayConfig;
import io.notify.gateway.routing.ConnectionIndex;
import io.notify.gateway.routing.Session;
import io.notify.gateway.transport.FrameTransport;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Liveness, token expiry and drain, for every socket from one sweep a second rather than timers
 * per socket (a Vert.x timer costs a few hundred bytes of heap for each of thousands of idle
 * sockets). The sweep pings each socket every ping interval (the pings due, in slices spread over most of
 * the second: see {@link FrameTransport#ping}), closes one that answered nothing for
 * the idle timeout, and closes one whose token expired (1008, at most a second late) unless a
 * {@code refresh_token} moved its expiry. On shutdown every socket is told {@code reconnect} with its
 * own random delay, then closed with 1012, so a rolling update spreads the reconnects instead of a storm.
 */
@ApplicationScoped
public class SocketLifecycle {

    private static final Logger LOG = Logger.getLogger(SocketLifecycle.class);
    static final short SERVICE_RESTART = 1012;
    private static final Duration DRAIN_FLUSH = Duration.ofSeconds(5);
    private static final long SWEEP_MILLIS = 1000;

    private final ConnectionIndex registry;
    private final FrameTransport out;
    private final ReplyFrameEncoder frames;
    private final GatewayConfig config;
    private final Vertx vertx;

    public SocketLifecycle(ConnectionIndex registry, FrameTransport out, ReplyFrameEncoder frames, GatewayConfig config, Vertx vertx) {
        this.registry = registry;
        this.out = out;
        this.frames = frames;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    }

    void sweep() {
        long idleLimit = config.idleTimeout().toNanos();
        // half a sweep early rather than a whole sweep late (sweeps are never exactly a second apart)
        long pingEvery = config.pingInterval().toNanos() - TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS / 2);
        long now = System.nanoTime();
        long nowSecond = System.currentTimeMillis() / 1000;
        List<Session> toPing = new ArrayList<>();
        for (Session session : registry.sessions()) {
            if (session.swept()) {
                continue;
            }
            if (session.user().expiresAtSecond() <= nowSecond) {
                session.sweep();
                out.close(session.connection(), NotificationSocket.POLICY_VIOLATION, "token expired", "token_expired");
            } else if (now - session.lastHeardNanos() > idleLimit) {
                session.sweep();
                out.close(session.connection(), CloseReason.NORMAL.getCode(), "idle timeout", "idle");
            } else if (session.pingDue(now, pingEvery)) {
                toPing.add(session);
            }
        }
        out.ping(toPing, SWEEP_MILLIS * 3 / 4); // done before the next sweep
    }

    /**
     * Runs first thing on SIGTERM (quarkus.shutdown.delay-enabled): readiness is already down, the
     * HTTP server and the sockets are still up, and the shutdown delay lets the frames flush.
     */
    void drainEarly(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Whatever is still open when the application stops (also when no shutdown delay is configured). */
    void drainLate(@Observes ShutdownEvent event) {
        drain();
    }

    void drain() {
        List<WebSocketConnection> connections = registry.sessions().stream().map(Session::connection).toList();
        if (connections.isEmpty()) {
            return;
        }
        long spread = Math.max(1, config.drainSpread().toMillis());
        List<Uni<Void>> closing = connections.stream().map(connection -> connection
                .sendText(frames.reconnect(ThreadLocalRandom.current().nextLong(spread)))
                .onFailure().recoverWithNull()
                .chain(() -> connection.close(new CloseReason(SERVICE_RESTART, "service restart: reconnect after delay_ms")))
                .onFailure().recoverWithNull())
                .toList();
        try {
            Uni.join().all(closing).andCollectFailures().await().atMost(DRAIN_FLUSH);
        } catch (RuntimeException e) {
            LOG.warnf("Drain did not finish within %s: %s", DRAIN_FLUSH, e.toString());
        }
        LOG.infof("Drained %d sockets", connections.size());
    }
}

package io.notify.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.notify.gateway.metrics.GatewayMetrics;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every frame the gateway writes goes through here.
 *
 * <p>Fan-out is the hot path: a frame is encoded to bytes once per event; the writes a batch of
 * events makes are grouped by the event loop that owns each socket and handed to that loop as one
 * task, which writes every frame of the batch to each of its sockets and then flushes each socket
 * once (one system call per socket per batch, however many events it holds).
 *
 * <p>A socket's backlog of written-but-unsent bytes is bounded (the channel's write-buffer high
 * water mark, {@code notify.gateway.outbound-buffer-bytes}): a client that stops reading is closed
 * with 1013 (it reconnects and resumes) instead of growing the heap.
 */
@ApplicationScoped
public class Outbound {

    private static final Logger LOG = Logger.getLogger(Outbound.class);

    public static final short SLOW_CONSUMER = 1013;

    private final GatewayMetrics metrics;

    public Outbound(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** A frame encoded once, shared by every socket it is written to. */
    public static final class Frame {
        final ByteBuf bytes;
        /** The event's time in epoch millis for the delivery lag; -1 for replies (not deliveries). */
        final long occurredAtMillis;

        private Frame(String text, long occurredAtMillis) {
            // read-only and unreleasable: every write takes a duplicate; the GC frees the array
            this.bytes = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)))
                    .asReadOnly();
            this.occurredAtMillis = occurredAtMillis;
        }

        /** An event's frame, counted as a delivery with its lag from {@code occurredAt}. */
        public static Frame event(String text, OffsetDateTime occurredAt) {
            return new Frame(text, occurredAt == null ? 0 : occurredAt.toInstant().toEpochMilli());
        }

        static Frame reply(String text) {
            return new Frame(text, -1);
        }
    }

    private record Write(Session session, Frame frame) {
    }

    /** Collects the writes of a batch of events; {@link #send()} hands them to the event loops. */
    public final class Batch {
        private final Map<EventLoop, List<Write>> byLoop = new HashMap<>(8);

        public void add(Session session, Frame frame) {
            byLoop.computeIfAbsent(session.channel.channel().eventLoop(), loop -> new ArrayList<>())
                    .add(new Write(session, frame));
        }

        public void send() {
            byLoop.forEach((loop, writes) -> loop.execute(() -> write(writes)));
            byLoop.clear();
        }
    }

    public Batch batch() {
        return new Batch();
    }

    /** A reply or notice to one socket, bounded like deliveries. */
    public void send(WebSocketConnection connection, String text) {
        Session session = connection.userData().get(Session.KEY);
        if (session == null) { // refused on open: nothing is queued for it
            connection.sendText(text).subscribe().with(ignored -> {
            }, failure -> LOG.debugf("Write to %s failed: %s", connection.id(), failure));
            return;
        }
        List<Write> one = List.of(new Write(session, Frame.reply(text)));
        EventLoop loop = session.channel.channel().eventLoop();
        if (loop.inEventLoop()) {
            write(one);
        } else {
            loop.execute(() -> write(one));
        }
    }

    /** A ping to each of {@code sessions}, written on each socket's own event loop; browsers answer with a pong. */
    void ping(List<Session> sessions) {
        Map<EventLoop, List<Session>> byLoop = new HashMap<>(8);
        for (Session session : sessions) {
            byLoop.computeIfAbsent(session.channel.channel().eventLoop(), loop -> new ArrayList<>()).add(session);
        }
        byLoop.forEach((loop, loopSessions) -> loop.execute(() -> {
            for (Session session : loopSessions) {
                ChannelHandlerContext channel = session.channel;
                // a socket over its outbound bound is being closed as a slow consumer: nothing more to it
                if (!session.slow && session.connection.isOpen() && channel.channel().isWritable()) {
                    channel.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER), channel.voidPromise());
                }
            }
        }));
    }

    public void close(WebSocketConnection connection, int code, String reason, String kind) {
        metrics.error(kind);
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(
                    ignored -> {
                    },
                    failure -> LOG.debugf("Closing %s failed: %s", connection.id(), failure));
        }
    }

    /** Runs on the event loop that owns every socket in {@code writes}. */
    private void write(List<Write> writes) {
        List<Session> written = new ArrayList<>(Math.min(writes.size(), 1024));
        long now = System.currentTimeMillis();
        int delivered = 0;
        for (Write w : writes) {
            Session session = w.session();
            if (session.slow || !session.connection.isOpen()) {
                metrics.dropped("closed");
                continue;
            }
            ChannelHandlerContext channel = session.channel;
            if (!channel.channel().isWritable()) {
                session.slow = true; // the first frame past the bound closes it; the rest are dropped
                metrics.dropped("slow_consumer");
                close(session.connection, SLOW_CONSUMER, "slow consumer: reconnect and resume", "slow_consumer");
                continue;
            }
            channel.write(new TextWebSocketFrame(w.frame().bytes.duplicate()), channel.voidPromise());
            if (!session.flushPending) {
                session.flushPending = true;
                written.add(session);
            }
            if (w.frame().occurredAtMillis >= 0) {
                delivered++;
                metrics.lag(w.frame().occurredAtMillis == 0 ? -1 : now - w.frame().occurredAtMillis);
            }
        }
        for (Session session : written) {
            session.flushPending = false;
            session.channel.flush();
        }
        metrics.delivered(delivered);
    }
}

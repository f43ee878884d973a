package io.notify.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.notify.gateway.metrics.GatewayMetrics;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;

/**
 * Every frame the gateway writes goes through here.
 *
 * <p>Fan-out is the hot path. A frame is encoded once per event, WebSocket header included
 * ({@link Frame}); the writes a batch of events makes are grouped by the event loop that owns each
 * socket and handed to that loop as one task. The task copies each frame once into a direct buffer
 * and writes a retained duplicate of it to every socket (no encoding, copy or allocation of bytes per
 * socket), from the WebSocket encoder's position in the pipeline. Each socket is flushed once per task
 * (one system call per socket per batch, however many events it holds): right after its write when the
 * task carries one event, after all of them otherwise.
 *
 * <p>A socket's backlog of written-but-unsent bytes is bounded (the channel's write-buffer high
 * water mark, {@code notify.gateway.outbound-buffer-bytes}): a client that stops reading is closed
 * with 1013 (it reconnects and resumes) instead of growing the heap.
 */
@Singleton
public class Outbound {

    private static final Logger LOG = Logger.getLogger(Outbound.class);

    public static final short SLOW_CONSUMER = 1013;
    /** Pings written in one event-loop task at most (about 1 ms of writes). */
    static final int PINGS_PER_SLICE = 64;

    private final GatewayMetrics metrics;

    public Outbound(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** A text frame encoded once (RFC 6455 header and payload), shared by every socket it is written to. */
    public static final class Frame {
        /**
         * An empty ping (FIN, opcode 9, no payload) as its two bytes. Each ping gets a buffer of its own
         * from the channel's allocator: a constant buffer would be built into a native image's heap, which
         * image analysis refuses.
         */
        private static final int PING = 0x8900;

        /** The whole frame as it goes on the wire; read-only, never released (the GC frees the array). */
        final ByteBuf wire;
        /** The event's time in epoch millis for the delivery lag; 0 when unknown, -1 for replies (not deliveries). */
        final long occurredAtMillis;

        private Frame(byte[] wire, long occurredAtMillis) {
            this.wire = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(wire)).asReadOnly();
            this.occurredAtMillis = occurredAtMillis;
        }

        /** An event's frame, counted as a delivery with its lag from {@code occurredAt}. */
        public static Frame event(String text, OffsetDateTime occurredAt) {
            return new Frame(text(text), occurredAt == null ? 0 : occurredAt.toInstant().toEpochMilli());
        }

        static Frame reply(String text) {
            return new Frame(text(text), -1);
        }

        /** An unmasked, final text frame (a server never masks) carrying {@code text}. */
        static byte[] text(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            int n = payload.length;
            int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
            byte[] frame = new byte[header + n];
            frame[0] = (byte) 0x81; // FIN, opcode 1 (text)
            if (n < 126) {
                frame[1] = (byte) n;
            } else if (n <= 0xFFFF) {
                frame[1] = 126;
                frame[2] = (byte) (n >>> 8);
                frame[3] = (byte) n;
            } else {
                frame[1] = 127;
                for (int i = 0; i < 8; i++) {
                    frame[2 + i] = (byte) ((long) n >>> (8 * (7 - i)));
                }
            }
            System.arraycopy(payload, 0, frame, header, n);
            return frame;
        }
    }

    private record Write(Session session, Frame frame) {
    }

    /** Collects the writes of a batch of events; {@link #send()} hands them to the event loops. */
    public final class Batch {
        private final Map<EventLoop, List<Write>> byLoop = new HashMap<>(8);
        private EventLoop lastLoop;
        private List<Write> lastWrites;

        public void add(Session session, Frame frame) {
            EventLoop loop = session.wire.channel().eventLoop();
            if (loop != lastLoop) {
                lastLoop = loop;
                lastWrites = byLoop.computeIfAbsent(loop, l -> new ArrayList<>());
            }
            lastWrites.add(new Write(session, frame));
        }

        public void send() {
            // the event consumer runs on an event loop: the other loops get their writes first, then
            // this loop writes its own sockets at once (queued to itself, they would only wait longer)
            List<Write> own = null;
            for (Map.Entry<EventLoop, List<Write>> e : byLoop.entrySet()) {
                if (e.getKey().inEventLoop()) {
                    own = e.getValue();
                } else {
                    e.getKey().execute(() -> write(e.getValue()));
                }
            }
            if (own != null) {
                write(own);
            }
            byLoop.clear();
            lastLoop = null;
            lastWrites = null;
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
        EventLoop loop = session.wire.channel().eventLoop();
        if (loop.inEventLoop()) {
            write(one);
        } else {
            loop.execute(() -> write(one));
        }
    }

    /**
     * A ping to each of {@code sessions}, written on each socket's own event loop (browsers answer with a
     * pong), in slices of {@link #PINGS_PER_SLICE} spread evenly over {@code spreadMillis}: a loop's share
     * of a sweep in one task (~400 pings at 19,500 sockets, ~6 ms) would hold up every event it carries.
     */
    void ping(List<Session> sessions, long spreadMillis) {
        Map<EventLoop, List<Session>> byLoop = new HashMap<>(8);
        for (Session session : sessions) {
            byLoop.computeIfAbsent(session.wire.channel().eventLoop(), loop -> new ArrayList<>()).add(session);
        }
        byLoop.forEach((loop, loopSessions) -> {
            int slices = (loopSessions.size() + PINGS_PER_SLICE - 1) / PINGS_PER_SLICE;
            for (int i = 0; i < slices; i++) {
                List<Session> slice = loopSessions.subList(i * PINGS_PER_SLICE,
                        Math.min(loopSessions.size(), (i + 1) * PINGS_PER_SLICE));
                long delay = spreadMillis * i / slices;
                if (delay == 0) {
                    loop.execute(() -> ping(slice));
                } else {
                    loop.schedule(() -> ping(slice), delay, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    private static void ping(List<Session> sessions) {
        for (Session session : sessions) {
            Channel channel = session.wire.channel();
            // a socket over its outbound bound is being closed as a slow consumer: nothing more to it
            if (open(session) && channel.isWritable()) {
                ByteBuf ping = session.wire.alloc().directBuffer(2, 2).writeShort(Frame.PING);
                session.wire.writeAndFlush(ping, session.wire.voidPromise());
            }
        }
    }

    public void close(WebSocketConnection connection, int code, String reason, String kind) {
        metrics.error(kind);
        Session session = connection.userData().get(Session.KEY);
        if (session != null) {
            session.closing = true; // before the close frame: no data frame may follow it
        }
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(
                    ignored -> {
                    },
                    failure -> LOG.debugf("Closing %s failed: %s", connection.id(), failure));
        }
    }

    private static boolean open(Session session) {
        return !session.slow && !session.closing && session.wire.channel().isActive();
    }

    /**
     * Runs on the event loop that owns every socket in {@code writes}. A batch adds its writes event by
     * event, so each frame's writes are one run of the list: when the first and the last write carry the
     * same frame, it is the only one, and each socket is flushed at once (the first sockets need not wait
     * for the last to be written); with several frames, each socket is flushed once, after its last.
     */
    private void write(List<Write> writes) {
        boolean oneFrame = writes.get(0).frame() == writes.get(writes.size() - 1).frame();
        List<Session> written = oneFrame ? List.of() : new ArrayList<>(Math.min(writes.size(), 1024));
        long now = System.currentTimeMillis();
        int delivered = 0;
        Frame frame = null;
        ByteBuf direct = null; // this loop's copy of frame, duplicated for every socket it goes to
        try {
            for (Write w : writes) {
                Session session = w.session();
                if (!open(session)) {
                    metrics.droppedClosed();
                    continue;
                }
                ChannelHandlerContext wire = session.wire;
                if (!wire.channel().isWritable()) {
                    session.slow = true; // the first frame past the bound closes it; the rest are dropped
                    metrics.droppedSlow();
                    close(session.connection, SLOW_CONSUMER, "slow consumer: reconnect and resume", "slow_consumer");
                    continue;
                }
                if (w.frame() != frame) {
                    if (direct != null) {
                        direct.release();
                    }
                    frame = w.frame();
                    direct = wire.alloc().directBuffer(frame.wire.readableBytes()).writeBytes(frame.wire.duplicate());
                    if (frame.occurredAtMillis >= 0) {
                        metrics.lag(frame.occurredAtMillis == 0 ? -1 : now - frame.occurredAtMillis);
                    }
                }
                if (oneFrame) {
                    wire.writeAndFlush(direct.retainedDuplicate(), wire.voidPromise());
                } else {
                    wire.write(direct.retainedDuplicate(), wire.voidPromise());
                    if (!session.flushPending) {
                        session.flushPending = true;
                        written.add(session);
                    }
                }
                if (frame.occurredAtMillis >= 0) {
                    delivered++;
                }
            }
        } finally {
            if (direct != null) {
                direct.release();
            }
        }
        for (Session session : written) {
            session.flushPending = false;
            session.wire.flush();
        }
        metrics.delivered(delivered);
    }
}

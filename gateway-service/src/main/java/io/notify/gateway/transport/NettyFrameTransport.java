package io.notify.gateway.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateHandler;
import io.notify.gateway.GatewayMetrics;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The fast transport ({@code notify.gateway.transport=netty}, the default): frames go straight to the
 * Netty channels behind the sockets, reached through websockets-next and Vert.x internals
 * ({@link NettyChannels}); {@link StrictFraming} guards what comes in.
 *
 * <p>Fan-out is the hot path. A frame is encoded once per event, WebSocket header included
 * ({@link EncodedFrame}); the writes a batch of events makes are grouped by the event loop that owns each
 * socket and handed to that loop as one task ({@link FanOut}). The task copies each frame once into a direct
 * buffer and writes a retained duplicate of it to every socket (no encoding, copy or allocation of bytes per
 * socket), from the WebSocket encoder's position in the pipeline. Each socket is flushed once per task
 * (one system call per socket per batch, however many events it holds): right after its write when the
 * task carries one event, after all of them otherwise.
 *
 * <p>A socket's backlog of written-but-unsent bytes is bounded (the channel's write-buffer high
 * water mark, {@code notify.gateway.outbound-buffer-bytes}): a client that stops reading is closed
 * with 1013 (it reconnects and resumes) instead of growing the heap.
 */
public final class NettyFrameTransport implements FrameTransport {

    /** Pings written in one event-loop task at most (about 1 ms of writes). */
    static final int PINGS_PER_SLICE = 64;

    private final GatewayMetrics metrics;
    private final int outboundBufferBytes;

    public NettyFrameTransport(GatewayMetrics metrics, int outboundBufferBytes) {
        this.metrics = metrics;
        this.outboundBufferBytes = outboundBufferBytes;
    }

    @Override
    public boolean attach(SocketWire socket) {
        ChannelHandlerContext wire = NettyChannels.of(socket.connection, outboundBufferBytes);
        if (!StrictFraming.installed(wire)) {
            return false;
        }
        // liveness is the sweep's (SocketLifecycle): Vert.x's HTTP idle timeout would keep a handler
        // and a scheduled task per socket for a 30-minute limit that never comes first
        if (wire.pipeline().get(IdleStateHandler.class) != null) {
            wire.pipeline().remove(IdleStateHandler.class);
        }
        socket.wire = wire;
        socket.loop = wire.channel().eventLoop();
        wire.channel().attr(SocketWire.CHANNEL_KEY).set(socket); // its inbound shortcut (StrictFraming) finds it there
        return true;
    }

    @Override
    public void send(WebSocketConnection connection, String text) {
        SocketWire socket = connection.userData().get(SocketWire.KEY);
        if (socket == null || socket.wire == null) { // refused on open: nothing is queued for it
            Sockets.sendText(connection, text);
            return;
        }
        List<Write> one = List.of(new Write(socket, EncodedFrame.reply(text)));
        EventLoop loop = socket.loop;
        if (loop.inEventLoop()) {
            write(one);
        } else {
            loop.execute(() -> write(one));
        }
    }

    /**
     * A ping to each of {@code sockets}, written on each socket's own event loop (browsers answer with a
     * pong), in slices of {@link #PINGS_PER_SLICE} spread evenly over {@code spreadMillis}: a loop's share
     * of a sweep in one task (~400 pings at 19,500 sockets, ~6 ms) would hold up every event it carries.
     */
    @Override
    public void ping(List<? extends SocketWire> sockets, long spreadMillis) {
        Map<EventLoop, List<SocketWire>> byLoop = new HashMap<>(8);
        for (SocketWire socket : sockets) {
            byLoop.computeIfAbsent(socket.wire.channel().eventLoop(), loop -> new ArrayList<>()).add(socket);
        }
        byLoop.forEach((loop, loopSockets) -> {
            int slices = (loopSockets.size() + PINGS_PER_SLICE - 1) / PINGS_PER_SLICE;
            for (int i = 0; i < slices; i++) {
                List<SocketWire> slice = loopSockets.subList(i * PINGS_PER_SLICE,
                        Math.min(loopSockets.size(), (i + 1) * PINGS_PER_SLICE));
                long delay = spreadMillis * i / slices;
                if (delay == 0) {
                    loop.execute(() -> ping(slice));
                } else {
                    loop.schedule(() -> ping(slice), delay, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    private static void ping(List<SocketWire> sockets) {
        for (SocketWire socket : sockets) {
            Channel channel = socket.wire.channel();
            // a socket over its outbound bound is being closed as a slow consumer: nothing more to it
            if (open(socket) && channel.isWritable()) {
                ByteBuf ping = socket.wire.alloc().directBuffer(2, 2).writeShort(EncodedFrame.PING);
                socket.wire.writeAndFlush(ping, socket.wire.voidPromise());
            }
        }
    }

    @Override
    public void close(WebSocketConnection connection, int code, String reason, String kind) {
        Sockets.close(metrics, connection, code, reason, kind);
    }

    private static boolean open(SocketWire socket) {
        return !socket.slow && !socket.closing && socket.wire.channel().isActive();
    }

    /**
     * Runs on the event loop that owns every socket in {@code writes}. A batch adds its writes event by
     * event, so each frame's writes are one run of the list: when the first and the last write carry the
     * same frame, it is the only one, and each socket is flushed at once (the first sockets need not wait
     * for the last to be written); with several frames, each socket is flushed once, after its last.
     */
    @Override
    public void write(List<Write> writes) {
        boolean oneFrame = writes.get(0).frame() == writes.get(writes.size() - 1).frame();
        List<SocketWire> written = oneFrame ? List.of() : new ArrayList<>(Math.min(writes.size(), 1024));
        long now = System.currentTimeMillis();
        int delivered = 0;
        int forgotten = 0;
        EncodedFrame frame = null;
        ByteBuf direct = null; // this loop's copy of frame, duplicated for every socket it goes to
        try {
            for (Write w : writes) {
                SocketWire socket = w.socket();
                if (!open(socket)) {
                    metrics.droppedClosed();
                    continue;
                }
                ChannelHandlerContext wire = socket.wire;
                if (!wire.channel().isWritable()) {
                    socket.slow = true; // the first frame past the bound closes it; the rest are dropped
                    metrics.droppedSlow();
                    close(socket.connection, SLOW_CONSUMER, "slow consumer: reconnect and resume", "slow_consumer");
                    continue;
                }
                if (w.frame() != frame) {
                    if (direct != null) {
                        direct.release();
                    }
                    frame = w.frame();
                    direct = wire.alloc().directBuffer(frame.wire.readableBytes()).writeBytes(frame.wire.duplicate());
                    if (frame.delivery()) {
                        metrics.lag(frame.occurredAtMillis == 0 ? -1 : now - frame.occurredAtMillis);
                    }
                }
                if (oneFrame) {
                    wire.writeAndFlush(direct.retainedDuplicate(), wire.voidPromise());
                } else {
                    wire.write(direct.retainedDuplicate(), wire.voidPromise());
                    if (!socket.flushPending) {
                        socket.flushPending = true;
                        written.add(socket);
                    }
                }
                if (frame.delivery()) {
                    delivered++;
                }
                if (frame.notificationId != null && socket.pushed(frame.notificationId)) {
                    forgotten++;
                }
            }
        } finally {
            if (direct != null) {
                direct.release();
            }
        }
        for (SocketWire socket : written) {
            socket.flushPending = false;
            socket.wire.flush();
        }
        metrics.delivered(delivered);
        metrics.pendingAcksForgotten(forgotten);
    }
}

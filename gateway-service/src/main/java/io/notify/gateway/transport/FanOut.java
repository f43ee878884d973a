package io.notify.gateway.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.EventLoop;

/**
 * The writes of a batch of events, grouped by the event loop that owns each socket and handed to that
 * loop as one task ({@link FrameTransport#write}: one call per loop and batch), so a socket addressed
 * by several events of a batch is flushed once. On the plain transport sockets have no loop here: all
 * the writes go to the transport in one call, and websockets-next moves each to its socket's loop.
 */
public final class FanOut {

    private final FrameTransport transport;
    private final Map<EventLoop, List<FrameTransport.Write>> byLoop = new HashMap<>(8);
    private EventLoop lastLoop;
    private List<FrameTransport.Write> lastWrites;

    FanOut(FrameTransport transport) {
        this.transport = transport;
    }

    public void add(SocketWire socket, EncodedFrame frame) {
        EventLoop loop = socket.loop;
        if (loop != lastLoop || lastWrites == null) {
            lastLoop = loop;
            lastWrites = byLoop.computeIfAbsent(loop, l -> new ArrayList<>());
        }
        lastWrites.add(new FrameTransport.Write(socket, frame));
    }

    public void send() {
        // the event consumer runs on an event loop: the other loops get their writes first, then
        // this loop writes its own sockets at once (queued to itself, they would only wait longer)
        List<FrameTransport.Write> own = null;
        for (Map.Entry<EventLoop, List<FrameTransport.Write>> e : byLoop.entrySet()) {
            EventLoop loop = e.getKey();
            if (loop == null || loop.inEventLoop()) {
                own = e.getValue();
            } else {
                loop.execute(() -> transport.write(e.getValue()));
            }
        }
        if (own != null) {
            transport.write(own);
        }
        byLoop.clear();
        lastLoop = null;
        lastWrites = null;
    }
}

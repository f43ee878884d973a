package io.notify.gateway.transport;

import java.util.List;

import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Writes frames to sockets: the gateway's only way to the wire. Two implementations, chosen by
 * {@code notify.gateway.transport}: {@code netty} (the default: frames encoded once and written to the
 * Netty channels directly, through websockets-next and Vert.x internals, see {@link NettyChannels}) and
 * {@code plain} (websockets-next's public API only), the fallback when a Quarkus upgrade breaks those
 * internals. Fan-out goes through a {@link FanOut}, which calls {@link #write} once per event loop and
 * batch of events, not once per socket.
 */
public interface FrameTransport {

    short SLOW_CONSUMER = 1013;

    /** Binds a socket that just opened to the wire; false when it must not be used (the caller closes it, 1011). */
    boolean attach(SocketWire socket);

    /** Collects the writes of a batch of events; {@link FanOut#send()} hands them to the transport. */
    default FanOut fanOut() {
        return new FanOut(this);
    }

    /**
     * Writes every frame of {@code writes} to its socket. On the netty transport all the sockets belong to
     * one event loop and this runs on it.
     */
    void write(List<Write> writes);

    /** A reply or notice to one socket, bounded like deliveries where the transport can. */
    void send(WebSocketConnection connection, String text);

    /** A ping to each of {@code sockets}, spread over {@code spreadMillis} where the transport can. */
    void ping(List<? extends SocketWire> sockets, long spreadMillis);

    /** Closes the socket with {@code code}, counted as an error of {@code kind}. */
    void close(WebSocketConnection connection, int code, String reason, String kind);

    /** One frame to one socket. */
    record Write(SocketWire socket, EncodedFrame frame) {
    }
}

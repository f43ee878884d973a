package io.notify.gateway.transport;

import io.netty.buffer.ByteBuf;

/**
 * A client message the endpoint may take straight off the Netty pipeline (netty transport only), before Vert.x
 * and websockets-next dispatch it: for the one frame every client sends per notification received ({@code ack}),
 * that dispatch (a String, a JSON tree, a Uni and a context per message) cost several times the write of the
 * notification itself. Whatever it does not take goes on to websockets-next unchanged.
 */
public interface InboundShortcut {

    /**
     * Whether it handled this complete text message of {@code socket} (its UTF-8 bytes; not to be released or kept).
     * False: it did nothing at all, and the message goes on to the socket's {@code @OnTextMessage} as usual. Called on
     * the socket's event loop, in the order the messages arrive.
     */
    boolean handled(SocketWire socket, ByteBuf text);
}

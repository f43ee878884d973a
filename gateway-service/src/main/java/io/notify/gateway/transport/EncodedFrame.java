package io.notify.gateway.transport;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A text frame encoded once (RFC 6455 header and payload), shared by every socket it is written to.
 * The netty transport writes {@link #wire} as is; the plain one sends {@link #text} through websockets-next.
 */
public final class EncodedFrame {
    /**
     * An empty ping (FIN, opcode 9, no payload) as its two bytes. Each ping gets a buffer of its own
     * from the channel's allocator: a constant buffer would be built into a native image's heap, which
     * image analysis refuses.
     */
    static final int PING = 0x8900;

    /** The whole frame as it goes on the wire; read-only, never released (the GC frees the array). */
    final ByteBuf wire;
    /** The frame's text (the payload of {@link #wire}), for the plain transport. */
    final String text;
    /** The event's time in epoch millis for the delivery lag; 0 when unknown, -1 for replies (not deliveries). */
    final long occurredAtMillis;
    /**
     * The notification a {@code notification} frame carries (parsed once per event), which each socket it
     * is written to may acknowledge ({@link SocketWire#pushed}); null for every other frame.
     */
    final UUID notificationId;

    private EncodedFrame(String text, long occurredAtMillis, UUID notificationId) {
        this.wire = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text(text))).asReadOnly();
        this.text = text;
        this.occurredAtMillis = occurredAtMillis;
        this.notificationId = notificationId;
    }

    /** An event's frame, counted as a delivery with its lag from {@code occurredAt}. */
    public static EncodedFrame event(String text, OffsetDateTime occurredAt) {
        return event(text, occurredAt, null);
    }

    /**
     * An event's frame; {@code notificationId} (or null) is the notification a {@code notification} frame
     * pushes, remembered by every socket it is written to until acknowledged.
     */
    public static EncodedFrame event(String text, OffsetDateTime occurredAt, UUID notificationId) {
        return new EncodedFrame(text, occurredAt == null ? 0 : occurredAt.toInstant().toEpochMilli(), notificationId);
    }

    static EncodedFrame reply(String text) {
        return new EncodedFrame(text, -1, null);
    }

    /** Whether it is an event's frame (a delivery), not a reply. */
    boolean delivery() {
        return occurredAtMillis >= 0;
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

package io.notify.gateway.endpoint;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Reads an {@code ack} frame in exactly the form the clients write it, {@code {"type":"ack","ids":["<uuid>",…]}}
 * (JSON.stringify's: no whitespace, these two members in this order, no {@code ref}), 1 to
 * {@value SocketAcks#MAX_IDS} ids, straight from its bytes: no String, no JSON tree. Anything else, valid or not,
 * is not read here; the general path ({@link NotificationSocket}, Jackson) answers it.
 */
final class AckFrame {

    private static final byte[] PREFIX = "{\"type\":\"ack\",\"ids\":[".getBytes(StandardCharsets.US_ASCII);
    /** {@code "<36 characters>",}: one id and its separator. */
    private static final int ID_STRIDE = 39;

    private AckFrame() {
    }

    /**
     * The ids as {@code [msb, lsb]} pairs, their count being half the length; null when {@code text} is not exactly
     * that form.
     */
    static long[] parse(ByteBuf text) {
        int start = text.readerIndex();
        int length = text.readableBytes();
        // the prefix, n ids of 38 bytes and n - 1 commas, then "]}"
        int ids = length - PREFIX.length - 2 + 1;
        if (ids < ID_STRIDE || ids % ID_STRIDE != 0 || ids / ID_STRIDE > SocketAcks.MAX_IDS) {
            return null;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (text.getByte(start + i) != PREFIX[i]) {
                return null;
            }
        }
        int end = start + length;
        if (text.getByte(end - 2) != ']' || text.getByte(end - 1) != '}') {
            return null;
        }
        int n = ids / ID_STRIDE;
        long[] bits = new long[2 * n];
        for (int i = 0; i < n; i++) {
            int at = start + PREFIX.length + i * ID_STRIDE;
            if (text.getByte(at) != '"' || text.getByte(at + 37) != '"' || (i < n - 1 && text.getByte(at + 38) != ',')) {
                return null;
            }
            if (!uuid(text, at + 1, bits, 2 * i)) {
                return null;
            }
        }
        return bits;
    }

    /** The canonical 8-4-4-4-12 hex form at {@code at} into {@code bits[to]} (msb) and {@code bits[to + 1]} (lsb). */
    private static boolean uuid(ByteBuf text, int at, long[] bits, int to) {
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 36; i++) {
            byte c = text.getByte(at + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                return false;
            }
            if (i < 18) {
                msb = (msb << 4) | digit;
            } else {
                lsb = (lsb << 4) | digit;
            }
        }
        bits[to] = msb;
        bits[to + 1] = lsb;
        return true;
    }
}

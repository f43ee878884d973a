package io.notify.gateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the pipeline's ack reader takes: exactly the frames the clients write (JSON.stringify's spelling, as Vert.x's
 * encode writes it too), read into the ids' bits; anything else is left to the general path (null).
 */
class AckFrameTest {

    static ByteBuf bytes(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    static String ack(List<String> ids) {
        return new JsonObject().put("type", "ack").put("ids", new JsonArray(List.copyOf(ids))).encode();
    }

    @Test
    void readsTheClientsFrames_intoTheIdsBits() {
        List<String> ids = java.util.stream.IntStream.range(0, SocketAcks.MAX_IDS).mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        for (int n : new int[] { 1, 2, 7, SocketAcks.MAX_IDS }) {
            long[] bits = AckFrame.parse(bytes(ack(ids.subList(0, n))));
            assertThat(bits).as("%d ids", n).hasSize(2 * n);
            for (int i = 0; i < n; i++) {
                assertThat(new UUID(bits[2 * i], bits[2 * i + 1]).toString()).isEqualTo(ids.get(i));
            }
        }
        // from the middle of a larger buffer, as a decoded frame's content may be
        ByteBuf framed = bytes("xx" + ack(ids.subList(0, 1)) + "yy");
        framed.readerIndex(2).writerIndex(framed.writerIndex() - 2);
        assertThat(new UUID(AckFrame.parse(framed)[0], AckFrame.parse(framed)[1]).toString()).isEqualTo(ids.get(0));
        String upper = ids.get(0).toUpperCase(java.util.Locale.ROOT);
        assertThat(AckFrame.parse(bytes(ack(List.of(upper))))).containsExactly(UUID.fromString(ids.get(0))
                .getMostSignificantBits(), UUID.fromString(ids.get(0)).getLeastSignificantBits());
    }

    @Test
    void leavesEverythingElse_toTheGeneralPath() {
        String id = UUID.randomUUID().toString();
        List<String> others = List.of(
                "{\"type\":\"ack\",\"ids\":[]}",
                ack(Collections.nCopies(SocketAcks.MAX_IDS + 1, id)),
                "{\"ids\":[\"" + id + "\"],\"type\":\"ack\"}",
                "{\"type\": \"ack\",\"ids\":[\"" + id + "\"]}",
                "{\"type\":\"ack\",\"ids\":[\"" + id + "\"],\"ref\":\"r\"}",
                "{\"type\":\"ack\",\"ids\":[\"" + id + "\" ]}",
                "{\"type\":\"ack\",\"ids\":[\"" + id.replace('-', 'x') + "\"]}",
                "{\"type\":\"ack\",\"ids\":[\"" + id.substring(0, 35) + "g\"]}",
                "{\"type\":\"ack\",\"ids\":[\"" + id + "\";\"" + id + "\"]}",
                "{\"type\":\"ack\",\"ids\":[\"" + id.substring(0, 35) + "é\"]}",
                "{\"type\":\"ping\",\"ids\":[\"" + id + "\"]}",
                "{\"type\":\"ack\",\"ids\":[\"" + id + "\"]]");
        for (String other : others) {
            assertThat(AckFrame.parse(bytes(other))).as(other).isNull();
        }
    }
}

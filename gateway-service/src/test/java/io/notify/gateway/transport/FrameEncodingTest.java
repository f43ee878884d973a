package io.notify.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;

/**
 * Fan-out writes frames the gateway encoded itself ({@link EncodedFrame}), bypassing Netty's
 * encoder: they must be the very bytes Netty's server-side encoder writes, at every length boundary
 * of RFC 6455 (7-bit, 16-bit and 64-bit lengths), and decode back to the same text.
 */
class FrameEncodingTest {

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 125, 126, 127, 65_535, 65_536, 200_000 })
    void ownEncoding_isNettysServerEncoding_andDecodesToTheSameText(int length) {
        // multi-byte characters: the length on the wire is in UTF-8 bytes, not chars
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; text.length() < length; i++) {
            text.append(i % 7 == 0 ? 'é' : (char) ('a' + i % 26));
        }
        String payload = text.toString();

        byte[] ours = EncodedFrame.text(payload);

        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        encoder.writeOutbound(new TextWebSocketFrame(payload));
        ByteBuf netty = Unpooled.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null;) {
            netty.writeBytes(part);
            part.release();
        }
        assertThat(ours).isEqualTo(ByteBufUtil.getBytes(netty));
        netty.release();

        EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        decoder.writeInbound(Unpooled.wrappedBuffer(ours));
        TextWebSocketFrame decoded = decoder.readInbound();
        assertThat(decoded.isFinalFragment()).isTrue();
        assertThat(decoded.content().toString(StandardCharsets.UTF_8)).isEqualTo(payload);
        decoded.release();
    }
}

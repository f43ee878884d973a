package io.notify.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The liveness sweep's pings go out in slices spread over the sweep, not as one task per event loop: at
 * 19,500 sockets a loop's share is ~400 writes, and an event for any socket on that loop waited behind
 * all of them.
 */
class PingSlicesTest {

    @Test
    void aSweepsPings_areWrittenInSlicesSpreadOverTheGivenTime_andEverySocketIsPingedByItsEnd() {
        ChannelOutboundHandlerAdapter encoder = new ChannelOutboundHandlerAdapter();
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.freezeTime();
        ChannelHandlerContext wire = channel.pipeline().context(encoder);
        List<SocketWire> sessions = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // 4 slices: at 0, 187, 375 and 562 ms
            SocketWire socket = new SocketWire(null);
            socket.wire = wire;
            socket.loop = channel.eventLoop();
            sessions.add(socket);
        }

        new NettyFrameTransport(null, 0).ping(sessions, 750);
        channel.runPendingTasks();
        assertThat(pings(channel)).as("the first slice, at once").isEqualTo(NettyFrameTransport.PINGS_PER_SLICE);

        channel.advanceTimeBy(186, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(pings(channel)).as("nothing more before the second slice is due").isZero();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(pings(channel)).as("the second slice").isEqualTo(NettyFrameTransport.PINGS_PER_SLICE);

        channel.advanceTimeBy(563, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(pings(channel)).as("the rest, by the end of the spread").isEqualTo(200 - 2 * NettyFrameTransport.PINGS_PER_SLICE);
    }

    /** Ping frames written since the last call (each the two bytes 0x89 0x00). */
    private static int pings(EmbeddedChannel channel) {
        int pings = 0;
        for (Object written; (written = channel.readOutbound()) != null;) {
            ByteBuf frame = (ByteBuf) written;
            assertThat(frame.getUnsignedByte(frame.readerIndex())).as("a ping frame").isEqualTo((short) 0x89);
            frame.release();
            pings++;
        }
        return pings;
    }
}

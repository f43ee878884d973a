package io.notify.gateway.transport;

import static io.notify.infra.test.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Inject;

/**
 * The websockets-next, Vert.x and Netty internals the netty transport relies on, each checked by name:
 * when a Quarkus upgrade moves one, this fails saying which (and the fallback,
 * {@code notify.gateway.transport=plain}, keeps the gateway running meanwhile).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class NettyInternalsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenConnections connections;

    @Inject
    FrameTransport transport;

    @Test
    void thePrivateMembersReachedByReflection_areStillThere() {
        try {
            NettyChannels.verify();
        } catch (IllegalStateException e) {
            throw new AssertionError("A Quarkus upgrade moved an internal of the netty transport: " + e.getMessage(), e);
        }
    }

    @Test
    void anOpenSocket_isWrittenFromItsFrameEncoder_behindTheStrictFramingGuard_withoutVertxIdleHandler() {
        assertThat(transport).as("notify.gateway.transport defaults to netty").isInstanceOf(NettyFrameTransport.class);
        String userId = UUID.randomUUID().toString();
        try (TestSocket socket = TestSocket.connect(base, "/api/ws",
                token(userId, "internals", "co_" + userId.substring(0, 8), Set.of("user")), TestSocket.Carrier.HEADER)
                .ready()) {
            SocketWire wire = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> connections.stream()
                    .map(WebSocketConnection::userData).map(data -> data.get(SocketWire.KEY))
                    .filter(w -> w != null && w.wire != null).findFirst().orElse(null), w -> w != null);
            assertThat(wire.wire.handler())
                    .as("Vert.x/Netty: the context NettyChannels returns must be the WebSocketFrameEncoder's, "
                            + "or frames encoded once would be encoded again")
                    .isInstanceOf(WebSocketFrameEncoder.class);
            assertThat(StrictFraming.installed(wire.wire))
                    .as("Vert.x: StrictFraming's handler goes before Vert.x's own (named \"handler\") in the pipeline")
                    .isTrue();
            java.util.List<String> names = wire.wire.pipeline().names();
            String decoder = wire.wire.pipeline().context(WebSocketFrameDecoder.class).name();
            assertThat(names.indexOf(StrictFraming.HANDLER_NAME))
                    .as("Netty/Vert.x: the guard reads decoded frames (the inbound shortcut), so it is after the frame "
                            + "decoder: " + names)
                    .isGreaterThan(names.indexOf(decoder));
            assertThat(wire.wire.channel().attr(SocketWire.CHANNEL_KEY).get())
                    .as("the guard finds the socket on its channel").isSameAs(wire);
            assertThat(wire.wire.pipeline().get(IdleStateHandler.class))
                    .as("Vert.x: its HTTP idle-timeout handler is removed from each socket's pipeline").isNull();
            assertThat(wire.loop).as("the socket's event loop, for fan-out").isSameAs(wire.wire.channel().eventLoop());
            assertThat(wire.wire.channel().config().getWriteBufferHighWaterMark())
                    .as("the outbound bound (notify.gateway.outbound-buffer-bytes) on the channel").isEqualTo(65536);
        }
    }
}

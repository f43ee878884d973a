package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestSocket.Carrier.HEADER;
import static io.notify.infra.test.TestSocket.Carrier.SUBPROTOCOL;
import static io.notify.infra.test.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.notify.gateway.routing.Session;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.MultiMap;
import jakarta.inject.Inject;

/**
 * What an open socket keeps of its upgrade, seen from inside the gateway (so not part of the
 * black-box GatewaySocketIT): thousands of idle sockets each holding a copy of their token would
 * multiply the heap per socket.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SocketRetentionTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** The gateway's own per-socket state, as NotificationSocket keeps it. */
    static final UserData.TypedKey<Session> SESSION = new UserData.TypedKey<>("notify.session");

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenConnections connections;

    final String memberId = UUID.randomUUID().toString();
    final String member = token(memberId, "member", "co_" + memberId.substring(0, 8), Set.of("user"));

    TestSocket open(String token, TestSocket.Carrier carrier) {
        return TestSocket.connect(base, "/api/ws", token, carrier).ready();
    }

    @Test
    void anOpenSocketKeepsNoHeaderOfItsUpgrade_andTheBrowserCarrierIsStillAnswered() {
        try (TestSocket header = open(member, HEADER); TestSocket browser = open(member, SUBPROTOCOL)) {
            List<WebSocketConnection> mine = Awaitility.await().atMost(WAIT).until(() -> connections.stream()
                    .filter(c -> c.userData().get(SESSION) != null
                            && memberId.equals(c.userData().get(SESSION).user().userId()))
                    .toList(), sockets -> sockets.size() == 2);
            for (WebSocketConnection socket : mine) {
                // websockets-next keeps its copy of the upgrade's headers as long as the socket lives, unless released
                assertThat(socket.handshakeRequest().headers())
                        .as("websockets-next 3.33: HandshakeRequestImpl.headers, released on open "
                                + "(SocketAuthentication.releaseHandshakeHeaders): a Quarkus version that moved it "
                                + "leaves ~600 bytes per socket")
                        .isEmpty();
                assertThat(socket.handshakeRequest().header("authorization")).isNull();
            }
            // the browser's carrier subprotocol is still the one the upgrade answers
            assertThat(mine).extracting(WebSocketConnection::subprotocol)
                    .containsExactlyInAnyOrder(null, "bearer-token-carrier");
            browser.ready();
        }
    }

    @Test
    void theUpgradeKeepsOnlyWhatTheHandshakeReads_andNoToken() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Host", "127.0.0.1:8083").add("Upgrade", "websocket").add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").add("Sec-WebSocket-Version", "13")
                .add("Sec-WebSocket-Protocol", "bearer-token-carrier, quarkus-http-upgrade#Authorization#Bearer " + member)
                .add("Authorization", "Bearer " + member).add("Cookie", "notify_refresh=secret").add("User-Agent", "test");

        SocketAuthentication.keepHandshakeHeadersOnly(headers);

        assertThat(headers.names()).containsExactlyInAnyOrder("Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
                "Sec-WebSocket-Version", "Sec-WebSocket-Protocol");
        assertThat(headers.get("Sec-WebSocket-Protocol")).isEqualTo("bearer-token-carrier");
    }
}

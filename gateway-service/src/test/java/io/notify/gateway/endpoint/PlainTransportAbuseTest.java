package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.gateway.transport.PlainTransport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What the plain transport does with a frame that breaks RFC 6455: it cannot send the 1002 close frame
 * (that takes StrictFraming's handler in the Netty pipeline, an internal), but the frame is still refused
 * unread, the connection is failed, and everyone else keeps receiving.
 */
@QuarkusTest
@TestProfile(PlainTransport.class)
class PlainTransportAbuseTest {

    @TestHTTPResource("/")
    URI base;

    final String userId = UUID.randomUUID().toString();
    final String user = token(userId, "member", "co_" + userId.substring(0, 8), Set.of("user"));

    @BeforeEach
    void ready() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void rsv1Frame_failsTheConnection_unanswered_andOthersKeepReceiving() throws Exception {
        try (Bystander bystander = Bystander.open(base); RawWebSocket attacker = RawWebSocket.connect(base, "/api/ws", user)) {
            assertThat(attacker.compressionNegotiated()).as(attacker.handshake).isFalse();
            // a ping the gateway would answer with pong, were RSV1 not set
            attacker.sendTextWithRsv1("{\"type\":\"ping\",\"ref\":\"r1\"}".getBytes(StandardCharsets.UTF_8));
            String outcome = attacker.awaitCloseOrReply();
            System.out.println("plain transport, RSV1 frame: " + outcome);
            assertThat(outcome).as("refused, never answered: cut without a close frame (no StrictFraming handler)")
                    .isEqualTo("dropped");
            assertThat(attacker.awaitEnd()).as("the connection is failed, not kept").isTrue();
            bystander.assertStillReceiving();
        }
    }
}

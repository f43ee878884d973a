package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestTokens.FORGERY;
import static io.notify.infra.test.TestTokens.claims;
import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.TokenForgery;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * One test per attack on the gateway: the forged token is refused on the upgrade whichever way it
 * is carried (header, subprotocol, query), and refused as a {@code refresh_token} over an open
 * socket. Each forgery names the socket's own user, so only the attacked check can refuse it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class TokenAttacksTest {

    static final String WS = "/api/ws";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    final String company = "co_" + UUID.randomUUID().toString().substring(0, 8);
    final String memberId = UUID.randomUUID().toString();
    final String member = token(memberId, "member", company, Set.of("user"));

    @BeforeEach
    void ready() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    JwtClaims memberClaims() {
        return claims(memberId, "member", company, Set.of("user"), Instant.now().plusSeconds(600));
    }

    void refused(String forged) {
        for (TestSocket.Carrier carrier : TestSocket.Carrier.values()) {
            assertThat(TestSocket.upgradeStatus(base, WS, forged, carrier)).as(carrier.name()).isEqualTo(401);
        }
        try (TestSocket socket = TestSocket.connect(base, WS, member, TestSocket.Carrier.HEADER).ready()) {
            String ref = "refresh-" + UUID.randomUUID();
            socket.send(new JsonObject().put("type", "refresh_token").put("ref", ref).put("token", forged).encode());
            JsonObject reply = socket.await(f -> ref.equals(f.getString("ref")), WAIT);
            assertThat(reply.getString("type")).isEqualTo("error");
            assertThat(reply.getString("code")).isEqualTo("invalid_token");
        }
    }

    @Test
    void control_theSameClaimsCorrectlySigned_areAccepted() {
        String valid = FORGERY.sign(memberClaims());
        assertThat(TestSocket.upgradeStatus(base, WS, valid, TestSocket.Carrier.QUERY)).isEqualTo(101);
        try (TestSocket socket = TestSocket.connect(base, WS, member, TestSocket.Carrier.HEADER).ready()) {
            socket.send(new JsonObject().put("type", "refresh_token").put("ref", "ok").put("token", valid).encode());
            assertThat(socket.await(f -> "ok".equals(f.getString("ref")), WAIT).getString("type"))
                    .isEqualTo("token_refreshed");
        }
    }

    @Test
    void alg_none_isRejected() {
        refused(FORGERY.algNone(memberClaims()));
    }

    @Test
    void hs256SignedWithRsaPublicKey_isRejected() {
        refused(FORGERY.hs256WithPublicKey(memberClaims()));
    }

    @Test
    void wrongKid_isRejected() {
        refused(FORGERY.attackerKeyUnknownKid(memberClaims()));
        refused(FORGERY.attackerKeyKnownKid(memberClaims()));
    }

    @Test
    void expired_isRejected() {
        refused(FORGERY.expired(memberClaims()));
    }

    @Test
    void notYetValid_isRejected() {
        refused(FORGERY.notYetValid(memberClaims()));
    }

    @Test
    void wrongIssuer_isRejected() {
        refused(FORGERY.wrongIssuer(memberClaims()));
    }

    @Test
    void wrongAudience_isRejected() {
        refused(FORGERY.wrongAudience(memberClaims()));
        refused(FORGERY.noAudience(memberClaims()));
    }

    @Test
    void tamperedPayload_isRejected() {
        refused(TokenForgery.escalatedToAdmin(member));
        refused(TestTokens.tampered(member, company + "_other"));
    }
}

package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TokenForgery;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * One test per attack, across all three services of the running suite, through the one origin.
 * Forgeries are made against auth-service's real signing key (read from the suite's data dir, as
 * only an insider could) so each one differs from a valid token only in the attacked part; each
 * claims user1 with the admin role. A forgery must be refused by auth-service (/me),
 * notification-service (read and send), the gateway's upgrade on every carrier, and as a
 * {@code refresh_token} over an open socket.
 */
@ExtendWith(SuiteExtension.class)
class AttacksSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String USER1_ID = "00000000-0000-4000-8000-00000000a002";
    static final String USER2_ID = "00000000-0000-4000-8000-00000000b001";

    static Api api;
    static TokenForgery key;

    @BeforeAll
    static void suite(Suite running) {
        api = new Api(running);
        api.login("user1", "wkwkwk"); // auth-service creates its signing key on first use
        key = TokenForgery.fromPem(running.config().dataDir().resolve("auth-keys/jwt-private.pem"));
    }

    /** user1, raised to admin: what an attacker would want a forged token to say. */
    static JwtClaims escalatedUser1() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("notify-auth");
        claims.setAudience("notify");
        claims.setSubject(USER1_ID);
        claims.setClaim("upn", "user1");
        claims.setStringListClaim("groups", "admin", "user");
        claims.setClaim("company", "company_a");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setGeneratedJwtId();
        return claims;
    }

    static void rejectedByEveryService(String forged) {
        api.as(forged).get("/api/auth/me").then().statusCode(401).contentType("application/problem+json");
        api.as(forged).get("/api/notifications").then().statusCode(401).contentType("application/problem+json");
        String title = "Forged " + UUID.randomUUID();
        api.post(forged, "/api/notifications", Map.of("audience", Map.of("type", "everyone"), "title", title,
                "message", "m")).statusCode(401);
        for (TestSocket.Carrier carrier : TestSocket.Carrier.values()) {
            assertThat(TestSocket.upgradeStatus(api.origin, "/api/ws", forged, carrier)).as(carrier.name())
                    .isEqualTo(401);
        }
        try (TestSocket socket = api.socket(api.login("user1", "wkwkwk"), TestSocket.Carrier.SUBPROTOCOL)) {
            String ref = "refresh-" + UUID.randomUUID();
            socket.send(new JsonObject().put("type", "refresh_token").put("ref", ref).put("token", forged).encode());
            JsonObject reply = socket.await(f -> ref.equals(f.getString("ref")), WAIT);
            assertThat(reply.getString("code")).as(reply.encode()).isEqualTo("invalid_token");
        }
    }

    @Test
    void control_theSameClaimsCorrectlySigned_areAcceptedEverywhere() {
        String valid = key.sign(escalatedUser1());
        api.as(valid).get("/api/auth/me").then().statusCode(200).body("id", equalTo(USER1_ID));
        api.as(valid).get("/api/notifications").then().statusCode(200);
        assertThat(TestSocket.upgradeStatus(api.origin, "/api/ws", valid, TestSocket.Carrier.QUERY)).isEqualTo(101);
    }

    @Test
    void alg_none_isRejected() {
        rejectedByEveryService(key.algNone(escalatedUser1()));
    }

    @Test
    void hs256SignedWithRsaPublicKey_isRejected() {
        rejectedByEveryService(key.hs256WithPublicKey(escalatedUser1()));
    }

    @Test
    void wrongKid_isRejected() {
        // an unknown kid makes the verifiers refetch auth-service's JWKS: the attacker's key is not in it
        rejectedByEveryService(key.attackerKeyUnknownKid(escalatedUser1()));
        rejectedByEveryService(key.attackerKeyKnownKid(escalatedUser1()));
    }

    @Test
    void expired_isRejected() {
        rejectedByEveryService(key.expired(escalatedUser1()));
    }

    @Test
    void notYetValid_isRejected() {
        rejectedByEveryService(key.notYetValid(escalatedUser1()));
    }

    @Test
    void wrongIssuer_isRejected() {
        rejectedByEveryService(key.wrongIssuer(escalatedUser1()));
    }

    @Test
    void wrongAudience_isRejected() {
        rejectedByEveryService(key.wrongAudience(escalatedUser1()));
        rejectedByEveryService(key.noAudience(escalatedUser1()));
    }

    @Test
    void tamperedPayload_isRejected() {
        rejectedByEveryService(TokenForgery.escalatedToAdmin(api.login("user1", "wkwkwk")));
    }

    @Test
    void refreshReplayAfterRotation_revokesTheSession() {
        Map<String, Object> session = api.as(null).contentType(ContentType.JSON)
                .body(Map.of("username", "user1", "password", "wkwkwk")).post("/api/auth/login")
                .then().statusCode(200).extract().jsonPath().getMap("");
        String original = (String) session.get("refresh_token");
        String current = refresh(original).then().statusCode(200).extract().path("refresh_token");

        refresh(original).then().statusCode(401).contentType("application/problem+json")
                .body("error", equalTo("invalid_grant"));
        refresh(current).then().statusCode(401); // the whole session is gone, the thief's copy too
    }

    static Response refresh(String refreshToken) {
        return api.as(null).contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken))
                .post("/api/auth/refresh");
    }

    @Test
    void otherTenantsNotificationId_isNotFound_onEveryEndpoint_overRestAndSocket() {
        String admin = api.login("admin", "wkwkwk");
        String title = "For company_b only " + UUID.randomUUID();
        String theirs = api.post(admin, "/api/notifications", Map.of("audience",
                Map.of("type", "user", "user_ids", List.of(USER2_ID)), "title", title, "message", "secret"))
                .statusCode(201).extract().path("id");
        String user1 = api.login("user1", "wkwkwk");

        api.as(user1).post("/api/notifications/" + theirs + "/read").then().statusCode(404)
                .contentType("application/problem+json");
        api.as(user1).delete("/api/notifications/" + theirs).then().statusCode(404)
                .contentType("application/problem+json");
        try (TestSocket socket = api.socket(user1, TestSocket.Carrier.SUBPROTOCOL)) {
            for (String action : List.of("mark_read", "delete_notification")) {
                socket.send(new JsonObject().put("type", action).put("ref", action).put("notification_id", theirs)
                        .encode());
                JsonObject reply = socket.await(f -> action.equals(f.getString("ref")), WAIT);
                assertThat(reply.getString("type")).isEqualTo("error");
                assertThat(reply.getString("code")).isEqualTo("not_found");
                assertThat(reply.encode()).doesNotContain(title);
            }
        }
        // user2 still has it, unread
        String user2 = api.login("user2", "password2");
        api.as(user2).get("/api/notifications").then().statusCode(200)
                .body("items.find { it.id == '" + theirs + "' }.read", equalTo(false));
    }

    @Test
    void loginBruteForce_is429WithRetryAfter() {
        // an unknown username: the per-username counter trips without locking out a real user
        String username = "brute-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            api.as(null).contentType(ContentType.JSON).body(Map.of("username", username, "password", "guess-" + i))
                    .post("/api/auth/login").then().statusCode(401);
        }
        api.as(null).contentType(ContentType.JSON).body(Map.of("username", username, "password", "guess-5"))
                .post("/api/auth/login").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
    }
}

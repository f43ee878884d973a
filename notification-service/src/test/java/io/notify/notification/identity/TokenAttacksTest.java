package io.notify.notification.identity;

import static io.notify.infra.test.TestTokens.FORGERY;
import static io.notify.infra.test.TestTokens.claims;
import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.TokenForgery;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.notify.notification.send.SendAuthorizationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * One test per attack on notification-service's REST API. Forged tokens claim the tenant's admin
 * and are tried on every operation; another tenant's ids are tried on every operation that takes
 * one, and must answer 404 (or, for an idempotency key, a notification of the caller's own) and
 * never change or reveal the other tenant's data.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class TokenAttacksTest {

    record Endpoint(String method, String path, String body) {
        Response call(RequestSpecification request) {
            if (body != null) {
                request = request.contentType(ContentType.JSON).body(body);
            }
            return request.request(method, path);
        }
    }

    final Tenant t = new Tenant();
    final Tenant other = new Tenant();

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    /** Every operation of the API, with a body that would succeed for the real admin. */
    List<Endpoint> everyOperation() {
        String id = UUID.randomUUID().toString();
        String envelope = SendAuthorizationTest.envelope("e-" + id, "Forged");
        return List.of(
                new Endpoint("GET", "/api/notifications", null),
                new Endpoint("GET", "/api/notifications/unread-count", null),
                new Endpoint("POST", "/api/notifications/" + id + "/read", null),
                new Endpoint("POST", "/api/notifications/read-all", null),
                new Endpoint("DELETE", "/api/notifications/" + id, null),
                new Endpoint("GET", "/api/notifications/preferences", null),
                new Endpoint("PUT", "/api/notifications/preferences", "{\"types\":{\"info\":false}}"),
                new Endpoint("POST", "/api/notifications/preferences/muted", "{\"user_ids\":[\"" + t.memberId + "\"]}"),
                new Endpoint("GET", "/api/notifications/resume?after=0", null),
                new Endpoint("POST", "/api/notifications", body(t.companyAudience(), "Forged")),
                new Endpoint("POST", "/api/notifications/broadcast",
                        "{\"user_ids\":[\"" + t.memberId + "\"],\"title\":\"Forged\",\"message\":\"m\"}"),
                new Endpoint("POST", "/api/broadcast", envelope),
                new Endpoint("POST", "/api/broadcast/company/" + t.company, envelope),
                new Endpoint("POST", "/api/broadcast/role/user?company=" + t.company, envelope));
    }

    void rejectedEverywhere(String token) {
        for (Endpoint endpoint : everyOperation()) {
            endpoint.call(given().auth().oauth2(token)).then()
                    .statusCode(401).contentType("application/problem+json");
        }
        assertThat(Tenant.titles(t.member)).as("nothing was sent with the forged token").isEmpty();
    }

    /**
     * The WebSocket gateways' own token is honoured on the one endpoint made for it (the muted types of many users)
     * and refused on every other: it is no user, admin or service account of any company.
     */
    @Test
    void theGatewaysToken_isRefusedOnEveryOtherOperation() {
        String gateway = TestTokens.gatewayToken();
        for (Endpoint endpoint : everyOperation()) {
            endpoint.call(given().auth().oauth2(gateway)).then()
                    .statusCode(endpoint.path().endsWith("/preferences/muted") ? 200 : 403)
                    .contentType(endpoint.path().endsWith("/preferences/muted") ? "application/json" : "application/problem+json");
        }
        assertThat(Tenant.titles(t.member)).as("nothing was sent with the gateway's token").isEmpty();
    }

    JwtClaims adminClaims() {
        return claims(t.adminId, "admin", t.company, Set.of("admin", "user"), Instant.now().plusSeconds(600));
    }

    @Test
    void control_theSameClaimsCorrectlySigned_areAccepted() {
        given().auth().oauth2(TestTokens.sign(adminClaims())).get("/api/notifications").then().statusCode(200);
    }

    @Test
    void alg_none_isRejected() {
        rejectedEverywhere(FORGERY.algNone(adminClaims()));
    }

    @Test
    void hs256SignedWithRsaPublicKey_isRejected() {
        rejectedEverywhere(FORGERY.hs256WithPublicKey(adminClaims()));
    }

    @Test
    void wrongKid_isRejected() {
        rejectedEverywhere(FORGERY.attackerKeyUnknownKid(adminClaims()));
        rejectedEverywhere(FORGERY.attackerKeyKnownKid(adminClaims()));
    }

    @Test
    void expired_isRejected() {
        rejectedEverywhere(FORGERY.expired(adminClaims()));
    }

    @Test
    void notYetValid_isRejected() {
        rejectedEverywhere(FORGERY.notYetValid(adminClaims()));
    }

    @Test
    void wrongIssuer_isRejected() {
        rejectedEverywhere(FORGERY.wrongIssuer(adminClaims()));
    }

    @Test
    void wrongAudience_isRejected() {
        rejectedEverywhere(FORGERY.wrongAudience(adminClaims()));
        rejectedEverywhere(FORGERY.noAudience(adminClaims()));
    }

    @Test
    void tamperedPayload_ofATokenAlreadyAccepted_isRejected() {
        String genuine = TestTokens.sign(adminClaims());
        // accepted first, so the service remembers it as verified (VerifiedTokens)
        given().auth().oauth2(genuine).get("/api/notifications").then().statusCode(200);
        rejectedEverywhere(TestTokens.tampered(genuine, other.company));
    }

    @Test
    void tamperedPayload_isRejected() {
        rejectedEverywhere(TokenForgery.escalatedToAdmin(t.member));
        rejectedEverywhere(TestTokens.tampered(other.admin, t.company));
    }

    @Test
    void otherTenantsNotificationId_onMarkRead_is404_andLeavesItUnread() {
        String theirs = other.send(body(other.companyAudience(), "Theirs"));
        String colleagues = t.send(body(userAudience(t.member2Id), "A colleague's"));

        for (String id : List.of(theirs, colleagues, UUID.randomUUID().toString(), "not-a-uuid")) {
            given().auth().oauth2(t.member).post("/api/notifications/" + id + "/read")
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("detail", not(org.hamcrest.Matchers.containsString("Theirs")));
        }
        assertThat(Tenant.unread(other.member).getLong("total")).isEqualTo(1);
        assertThat(Tenant.unread(t.member2).getLong("total")).isEqualTo(1);
    }

    @Test
    void otherTenantsNotificationId_onDelete_is404_andLeavesItThere() {
        String theirs = other.send(body(other.companyAudience(), "Theirs"));
        String colleagues = t.send(body(userAudience(t.member2Id), "A colleague's"));

        for (String id : List.of(theirs, colleagues, UUID.randomUUID().toString(), "not-a-uuid")) {
            given().auth().oauth2(t.member).delete("/api/notifications/" + id)
                    .then().statusCode(404).contentType("application/problem+json");
        }
        assertThat(Tenant.titles(other.member)).containsExactly("Theirs");
        assertThat(Tenant.titles(t.member2)).containsExactly("A colleague's");
    }

    @Test
    void otherTenantsIdempotencyKey_createsTheCallersOwn_andRevealsNothing() {
        String key = "welcome-" + UUID.randomUUID();
        String theirs = other.send(body(other.companyAudience(), "Their secret").replace("\"link\"",
                "\"idempotency_key\":\"" + key + "\",\"link\""));

        String mine = given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(body(t.companyAudience(), "Ours").replace("\"link\"", "\"idempotency_key\":\"" + key + "\",\"link\""))
                .post("/api/notifications")
                .then().statusCode(201).body("title", equalTo("Ours")).extract().path("id");
        assertThat(mine).isNotEqualTo(theirs);
        assertThat(Tenant.titles(t.member)).containsExactly("Ours");

        // the seed envelope's id is its idempotency key: the same holds there
        String envelopeId = "evt-" + UUID.randomUUID();
        given().auth().oauth2(other.admin).contentType(ContentType.JSON)
                .body(SendAuthorizationTest.envelope(envelopeId, "Their envelope"))
                .post("/api/broadcast/company/" + other.company).then().statusCode(201);
        given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(SendAuthorizationTest.envelope(envelopeId, "Our envelope"))
                .post("/api/broadcast/company/" + t.company)
                .then().statusCode(201).body("title", equalTo("Our envelope"));
        assertThat(Tenant.titles(other.member)).containsExactly("Their envelope", "Their secret");
    }
}

package io.notify.auth.api;

import static io.notify.auth.TestApi.login;
import static io.notify.auth.TestApi.loginAttempt;
import static io.notify.auth.TestApi.refresh;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.notify.auth.login.ThrottleTest;
import io.notify.infra.test.TokenForgery;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * One test per attack on auth-service's bearer-token surface (/me, the directory and every admin
 * endpoint) and on its sessions and login. Every forged token claims the admin (except the
 * tampered one, which raises user1 to admin), so an accepted forgery would be a full takeover.
 */
@QuarkusTest
class TokenAttacksTest {

    static JwtClaims adminClaims() {
        return TestApi.claims(TestApi.ADMIN_ID, "company_a", "admin", "user");
    }

    /** Every protected endpoint answers 401 problem+json, so none of them serves the forged identity. */
    static void rejectedEverywhere(String token) {
        for (SecurityMatrixTest.Endpoint endpoint : SecurityMatrixTest.PROTECTED) {
            endpoint.call(given().auth().oauth2(token)).then()
                    .statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void control_aTokenSignedWithTheServiceKey_isAccepted() {
        // the forgeries below differ from this token only in the attacked part
        given().auth().oauth2(TestApi.serviceKey().sign(adminClaims())).get("/api/auth/companies")
                .then().statusCode(200);
    }

    @Test
    void alg_none_isRejected() {
        rejectedEverywhere(TestApi.serviceKey().algNone(adminClaims()));
    }

    @Test
    void hs256SignedWithRsaPublicKey_isRejected() {
        rejectedEverywhere(TestApi.serviceKey().hs256WithPublicKey(adminClaims()));
    }

    @Test
    void wrongKid_isRejected() {
        TokenForgery key = TestApi.serviceKey();
        rejectedEverywhere(key.attackerKeyUnknownKid(adminClaims()));
        rejectedEverywhere(key.attackerKeyKnownKid(adminClaims()));
    }

    @Test
    void expired_isRejected() {
        rejectedEverywhere(TestApi.serviceKey().expired(adminClaims()));
    }

    @Test
    void notYetValid_isRejected() {
        rejectedEverywhere(TestApi.serviceKey().notYetValid(adminClaims()));
    }

    @Test
    void wrongIssuer_isRejected() {
        rejectedEverywhere(TestApi.serviceKey().wrongIssuer(adminClaims()));
    }

    @Test
    void wrongAudience_isRejected() {
        rejectedEverywhere(TestApi.serviceKey().wrongAudience(adminClaims()));
        rejectedEverywhere(TestApi.serviceKey().noAudience(adminClaims()));
    }

    @Test
    void tamperedPayload_isRejected() {
        String user1 = TestApi.user1();
        rejectedEverywhere(TokenForgery.escalatedToAdmin(user1));
    }

    @Test
    void refreshReplayAfterRotation_revokesTheSession() {
        String original = (String) login("user1", "wkwkwk").get("refresh_token");
        String current = refresh(original).then().statusCode(200).extract().path("refresh_token");

        refresh(original).then().statusCode(401)
                .contentType("application/problem+json")
                .body("error", equalTo("invalid_grant"));
        // the legitimate holder's newer token died with the session: a thief cannot keep it alive either
        refresh(current).then().statusCode(401);
    }

    @Test
    void loginBruteForce_is429WithRetryAfter_evenForTheRightPassword() {
        String username = TestApi.unique("target");
        TestApi.createUser(TestApi.admin(), username, "the right password", "company_a");
        for (int i = 0; i < ThrottleTest.PER_USERNAME; i++) {
            // each guess from another address: only the per-username limit can trip
            loginAttempt(username, "wrong guess " + i, TestApi.freshAddress()).then().statusCode(401);
        }
        Response blocked = loginAttempt(username, "the right password", TestApi.freshAddress());
        blocked.then().statusCode(429).contentType("application/problem+json").header("Retry-After", notNullValue());
        assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 15 * 60L);
    }
}

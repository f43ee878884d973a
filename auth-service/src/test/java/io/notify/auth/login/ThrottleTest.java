package io.notify.auth.login;

import static io.notify.auth.TestApi.loginAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
public class ThrottleTest {

    public static final int PER_USERNAME = 5;
    static final int PER_ADDRESS = 20;

    @Test
    void credentialChecks_areCountedByOutcome_onTheMetricsEndpoint() {
        double failures = credentialChecks("failure");
        double successes = credentialChecks("success");
        double throttled = credentialChecks("throttled");
        String ghost = TestApi.unique("counted");
        for (int i = 0; i < PER_USERNAME; i++) {
            loginAttempt(ghost, "guess-guess", TestApi.freshAddress()).then().statusCode(401);
        }
        loginAttempt(ghost, "guess-guess", TestApi.freshAddress()).then().statusCode(429);
        loginAttempt("user1", "wkwkwk", TestApi.freshAddress()).then().statusCode(200);

        assertThat(credentialChecks("failure") - failures).isGreaterThanOrEqualTo(PER_USERNAME);
        assertThat(credentialChecks("throttled") - throttled).isGreaterThanOrEqualTo(1);
        assertThat(credentialChecks("success") - successes).isGreaterThanOrEqualTo(1);
    }

    /** notify_auth_credential_checks_total{outcome=...} as Prometheus scrapes it (0 before the first). */
    private static double credentialChecks(String outcome) {
        return LoginMetricsTest.metric("notify_auth_credential_checks_total", "outcome=" + outcome);
    }

    @Test
    void unknownUsernamesAreThrottledTheSameWay() {
        String ghost = TestApi.unique("ghost");
        for (int i = 0; i < PER_USERNAME; i++) {
            loginAttempt(ghost, "guess-guess", TestApi.freshAddress()).then().statusCode(401);
        }
        loginAttempt(ghost, "guess-guess", TestApi.freshAddress()).then().statusCode(429);
    }

    @Test
    void oneAddressSprayingManyUsernames_isBlockedPerAddress_otherAddressesAreNot() {
        String address = TestApi.freshAddress();
        for (int i = 0; i < PER_ADDRESS; i++) {
            loginAttempt(TestApi.unique("spray"), "password-spray", address).then().statusCode(401);
        }
        loginAttempt("user1", "wkwkwk", address).then().statusCode(429).header("Retry-After", notNullValue());
        loginAttempt("user1", "wkwkwk", TestApi.freshAddress()).then().statusCode(200);
    }

    @Test
    void aSuccessfulLogin_clearsTheUsernameCounter() {
        String username = TestApi.unique("forgetful");
        TestApi.createUser(TestApi.admin(), username, "the right password", "company_a");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < PER_USERNAME - 1; i++) {
                loginAttempt(username, "typo " + i, TestApi.freshAddress()).then().statusCode(401);
            }
            loginAttempt(username, "the right password", TestApi.freshAddress()).then().statusCode(200);
        }
    }

    @Test
    void clientCredentialsAreThrottledPerClientId() {
        String clientId = TestApi.unique("brute-client");
        for (int i = 0; i < PER_USERNAME; i++) {
            TestApi.from(TestApi.freshAddress()).contentType(ContentType.URLENC)
                    .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                    .formParam("client_secret", "guess" + i)
                    .post("/api/auth/token").then().statusCode(401);
        }
        TestApi.from(TestApi.freshAddress()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", "guess")
                .post("/api/auth/token").then().statusCode(429).header("Retry-After", notNullValue());
    }
}

package io.notify.auth.login;

import static io.notify.auth.TestApi.login;
import static io.notify.auth.TestApi.loginAttempt;
import static io.notify.auth.TestApi.refresh;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.notify.infra.test.PrometheusText;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The sign-in meters of {@link LoginMetrics}, read from {@code /q/metrics} as Prometheus scrapes them. */
@QuarkusTest
class LoginMetricsTest {

    @Test
    void passwordLogins_areCountedByOutcome_andThrottleBlocksByWhoseBudget() {
        double success = metric("notify_auth_logins_total", "outcome=success");
        double failure = metric("notify_auth_logins_total", "outcome=failure");
        double throttled = metric("notify_auth_logins_total", "outcome=throttled");
        double blockedPrincipal = metric("notify_auth_throttle_blocks_total", "key=principal");

        String ghost = TestApi.unique("metered");
        for (int i = 0; i < ThrottleTest.PER_USERNAME; i++) {
            loginAttempt(ghost, "guess-guess", TestApi.freshAddress()).then().statusCode(401);
        }
        loginAttempt(ghost, "guess-guess", TestApi.freshAddress()).then().statusCode(429);
        login("user1", "wkwkwk");

        assertThat(metric("notify_auth_logins_total", "outcome=failure") - failure)
                .isGreaterThanOrEqualTo(ThrottleTest.PER_USERNAME);
        assertThat(metric("notify_auth_logins_total", "outcome=throttled") - throttled).isGreaterThanOrEqualTo(1);
        assertThat(metric("notify_auth_logins_total", "outcome=success") - success).isGreaterThanOrEqualTo(1);
        assertThat(metric("notify_auth_throttle_blocks_total", "key=principal") - blockedPrincipal)
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void clientCredentialGrants_areCredentialChecks_butNotLogins() {
        double logins = metric("notify_auth_logins_total");
        double checks = metric("notify_auth_credential_checks_total", "outcome=success");
        TestApi.billing();
        assertThat(metric("notify_auth_credential_checks_total", "outcome=success") - checks).isGreaterThanOrEqualTo(1);
        // other tests may log in meanwhile: only this one's grant is known not to count as a login
        assertThat(metric("notify_auth_logins_total")).isGreaterThanOrEqualTo(logins);
    }

    @Test
    void refreshes_areCountedByOutcome_andAReusedTokenIsADetection() {
        double success = metric("notify_auth_refreshes_total", "outcome=success");
        double unknown = metric("notify_auth_refreshes_total", "outcome=unknown");
        double reused = metric("notify_auth_refreshes_total", "outcome=reused");
        double detections = metric("notify_auth_refresh_reuse_detections_total");

        String first = (String) login("user2", "password2").get("refresh_token");
        refresh(first).then().statusCode(200);
        refresh(first).then().statusCode(401); // already rotated: reuse, the session is revoked
        refresh("not-a-refresh-token").then().statusCode(401);

        assertThat(metric("notify_auth_refreshes_total", "outcome=success") - success).isGreaterThanOrEqualTo(1);
        assertThat(metric("notify_auth_refreshes_total", "outcome=reused") - reused).isGreaterThanOrEqualTo(1);
        assertThat(metric("notify_auth_refreshes_total", "outcome=unknown") - unknown).isGreaterThanOrEqualTo(1);
        assertThat(metric("notify_auth_refresh_reuse_detections_total") - detections).isGreaterThanOrEqualTo(1);
    }

    /** A series (summed over the labels not given) as {@code /q/metrics} shows it now; 0 before its first event. */
    static double metric(String name, String... labels) {
        return PrometheusText.value(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString(), name,
                labels);
    }
}

package io.notify.notification.quota;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasToString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.PrometheusText;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Concurrently;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * Send quotas over REST, with the production window (a minute) and defaults: a company's and a service account's
 * limit set through {@link SendQuotas#setLimit} admit exactly that many sends per window, from any number of
 * concurrent callers (the counter is shared in PostgreSQL, as it is by every instance), and the next one is 429 with
 * Retry-After and a problem naming the quota. The user limit: SendAuthorizationTest; the Kafka intake over quota and
 * the configured defaults: KafkaQuotaTest.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SendQuotaTest {

    final Tenant t = new Tenant();

    @Inject
    SendQuotas quotas;
    @Inject
    QuotaConfig config;
    @Inject
    AgroalDataSource db;

    @BeforeEach
    void directoryAndRoomInTheWindow() {
        FakeDirectory.install();
        // every test here counts what one window admits
        QuotaWindows.awaitRoom(db, config.quotaWindow(), Duration.ofSeconds(20));
    }

    static ValidatableResponse post(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/notifications").then();
    }

    @Test
    void companyQuota_admitsExactlyItsLimit_thenAnswers429WithRetryAfterAndAProblemNamingIt() {
        quotas.setLimit(SendQuotas.COMPANY, t.company, 3);
        for (int i = 0; i < 3; i++) {
            post(t.admin, body(t.companyAudience(), "Within " + i)).statusCode(201);
        }

        post(t.admin, body(t.companyAudience(), "Over")).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", Integer::parseInt, allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(60)))
                .body("status", equalTo(429)).body("title", equalTo("Too Many Requests"))
                .body("detail", matchesPattern(t.company + "'s send quota of 3 per minute is used up; retry in \\d+ s"))
                .body("quota", equalTo("company")).body("quota_key", equalTo(t.company)).body("limit", equalTo(3))
                .body("window_seconds", equalTo(60));
        // a role audience in that company counts against it too; the other company has its own quota
        post(t.admin, body("{\"type\":\"role\",\"role\":\"user\",\"company\":\"" + t.company + "\"}", "Role"))
                .statusCode(429);
        post(t.admin, body("{\"type\":\"company\",\"company\":\"" + t.otherCompany + "\"}", "Elsewhere"))
                .statusCode(201);
        assertThat(Tenant.titles(t.member)).containsExactlyInAnyOrder("Within 0", "Within 1", "Within 2");

        // a new limit applies to the next send; null is the configured default (6000) again
        quotas.setLimit(SendQuotas.COMPANY, t.company, 4);
        post(t.admin, body(t.companyAudience(), "Raised")).statusCode(201);
        post(t.admin, body(t.companyAudience(), "Over again")).statusCode(429).body("limit", equalTo(4));
        quotas.setLimit(SendQuotas.COMPANY, t.company, null);
        post(t.admin, body(t.companyAudience(), "Default")).statusCode(201);
        // 0 stops the company's sends
        quotas.setLimit(SendQuotas.COMPANY, t.company, 0);
        post(t.admin, body(t.companyAudience(), "Stopped")).statusCode(429).body("limit", equalTo(0));
    }

    @Test
    void companyQuota_fromManyConcurrentCallers_admitsExactlyItsLimit() throws Exception {
        int limit = 10;
        quotas.setLimit(SendQuotas.COMPANY, t.company, limit);
        String service = Tenant.serviceToken(UUID.randomUUID().toString(), Set.of(t.company));

        List<Integer> statuses = Concurrently.run(48, 16, i -> post(i % 2 == 0 ? t.admin : service,
                body(t.companyAudience(), "Concurrent " + i)).extract().statusCode());

        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(limit);
        assertThat(statuses.stream().filter(s -> s == 429)).hasSize(48 - limit);
        assertThat(Tenant.inbox(t.member, Map.of("limit", 100)).getList("items")).hasSize(limit);
    }

    @Test
    void serviceAccountQuota_limitsThatAccountOnly_acrossItsAudiences() {
        String subject = UUID.randomUUID().toString();
        String service = Tenant.serviceToken(subject, Set.of(t.company));
        quotas.setLimit(SendQuotas.SERVICE_ACCOUNT, subject, 2);

        post(service, body(t.companyAudience(), "Invoice paid")).statusCode(201);
        post(service, body(userAudience(t.memberId), "Your invoice")).statusCode(201);
        post(service, body(userAudience(t.memberId), "One more")).statusCode(429)
                .header("Retry-After", matchesPattern("[1-9][0-9]?")).contentType("application/problem+json")
                .body("quota", equalTo("service_account")).body("quota_key", equalTo(subject))
                .body("limit", equalTo(2))
                .body("detail", matchesPattern("This service account's send quota of 2 per minute is used up; retry in \\d+ s"));
        // another service account of the same company is not affected
        post(Tenant.serviceToken(UUID.randomUUID().toString(), Set.of(t.company)),
                body(t.companyAudience(), "From billing 2")).statusCode(201);
        assertThat(Tenant.titles(t.member)).containsExactly("From billing 2", "Your invoice", "Invoice paid");
    }

    @Test
    void usersAudience_countsAgainstItsRecipientsCompanies_eachOnce_andARefusedSendTakesNothing() {
        String subject = UUID.randomUUID().toString();
        String service = Tenant.serviceToken(subject, Set.of(t.company, t.otherCompany));
        quotas.setLimit(SendQuotas.SERVICE_ACCOUNT, subject, 3);
        quotas.setLimit(SendQuotas.COMPANY, t.otherCompany, 1);
        String both = "{\"type\":\"users\",\"user_ids\":[\"" + t.memberId + "\",\"" + t.member2Id + "\",\""
                + t.outsiderId + "\"]}";

        post(service, body(both, "To both companies")).statusCode(201);
        post(service, body(both, "Again")).statusCode(429).body("quota", equalTo("company"))
                .body("quota_key", equalTo(t.otherCompany));
        // the refused send took neither the account's nor t.company's counter: 2 of the account's 3 are left
        post(service, body(userAudience(t.memberId), "Second")).statusCode(201);
        post(service, body(userAudience(t.memberId), "Third")).statusCode(201);
        post(service, body(userAudience(t.memberId), "Fourth")).statusCode(429).body("quota", equalTo("service_account"));

        // a user's send to their colleague counts against their company too
        quotas.setLimit(SendQuotas.COMPANY, t.company, 3); // 3 taken already: the service's sends to t.company's users
        post(t.member2, body(userAudience(t.memberId), "From a colleague")).statusCode(429)
                .body("quota", equalTo("company")).body("quota_key", equalTo(t.company));
        assertThat(Tenant.titles(t.member)).containsExactly("Third", "Second", "To both companies");
    }

    @Test
    void sendsPerCompany_areCountedAcceptedAndRefused() {
        quotas.setLimit(SendQuotas.COMPANY, t.company, 1);
        post(t.admin, body(t.companyAudience(), "Counted")).statusCode(201);
        post(t.admin, body(t.companyAudience(), "Refused")).statusCode(429);
        post(t.member, body(userAudience(t.member2Id), "Refused too")).statusCode(429);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(PrometheusText.value(metrics, "notify_company_sends_accepted_total", "company=" + t.company))
                .isEqualTo(1.0);
        assertThat(PrometheusText.value(metrics, "notify_company_sends_refused_total",
                "company=" + t.company, "quota=company")).isEqualTo(2.0);
    }

    @Test
    void theSendOperations_document429WithRetryAfterAndTheProblem() {
        for (String path : List.of("/api/notifications", "/api/notifications/broadcast", "/api/broadcast/company/{company}",
                "/api/broadcast/role/{role}")) {
            given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                    .rootPath("paths.'" + path + "'.post.responses.'429'")
                    .body("description", containsString("send quota"))
                    .body("headers.'Retry-After'.schema.type", equalTo("integer"))
                    .body("content.'application/problem+json'.example", hasToString(containsString("quota_key")));
        }
    }

    @Test
    void setLimit_rejectsUnknownScopesAndNegativeLimits() {
        assertThatThrownBy(() -> quotas.setLimit(SendQuotas.USER, t.memberId, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quotas.setLimit(SendQuotas.COMPANY, t.company, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quotas.setLimit(SendQuotas.COMPANY, " ", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

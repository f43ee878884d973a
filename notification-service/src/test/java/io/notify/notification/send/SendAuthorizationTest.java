package io.notify.notification.send;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.notify.notification.quota.QuotaConfig;
import io.notify.notification.quota.QuotaWindows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/** Who may send to whom, over every send endpoint, and the seed's broadcast envelope. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
public class SendAuthorizationTest {

    final Tenant t = new Tenant();

    @Inject
    AgroalDataSource db;
    @Inject
    QuotaConfig quotaConfig;

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    ValidatableResponse post(String token, String path, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(path).then();
    }

    String serviceToken(Set<String> companies) {
        return Tenant.serviceToken(UUID.randomUUID().toString(), companies);
    }

    public static String envelope(String id, String title) {
        return "{\"id\":\"" + id + "\",\"type\":\"notification\",\"payload\":{\"id\":\"p-" + id + "\",\"title\":\""
                + title + "\",\"message\":\"From the seed\",\"type\":\"meeting\",\"created_at\":\"2026-11-21T10:00:00Z\","
                + "\"read\":false,\"data\":{\"room\":\"atrium\"}}}";
    }

    @Test
    void user_maySendToUsersOfTheirOwnCompany() {
        post(t.member, "/api/notifications", body(userAudience(t.member2Id), "From a colleague"))
                .statusCode(201).body("sender", equalTo("member"));
        assertThat(Tenant.titles(t.member2)).containsExactly("From a colleague");
    }

    @Test
    void user_mayNotSendToAnotherCompanysUser_norToUnknownIds() {
        post(t.member, "/api/notifications", body(userAudience(t.outsiderId), "Cross-tenant"))
                .log().ifValidationFails().statusCode(403).contentType("application/problem+json");
        String mixed = "{\"type\":\"users\",\"user_ids\":[\"" + t.member2Id + "\",\"" + UUID.randomUUID() + "\"]}";
        post(t.member, "/api/notifications", body(mixed, "Partly unknown")).statusCode(403);
        assertThat(Tenant.titles(t.outsider)).isEmpty();
        assertThat(Tenant.titles(t.member2)).isEmpty();
    }

    @Test
    void user_mayNotBroadcastToCompanyRoleOrEveryone() {
        post(t.member, "/api/notifications", body(t.companyAudience(), "Nope")).statusCode(403);
        post(t.member, "/api/broadcast/company/" + t.company, envelope("u1-" + UUID.randomUUID(), "Nope")).statusCode(403);
        post(t.member, "/api/broadcast/role/user", envelope("u2-" + UUID.randomUUID(), "Nope")).statusCode(403);
        post(t.member, "/api/broadcast", envelope("u3-" + UUID.randomUUID(), "Nope")).statusCode(403);
        assertThat(Tenant.titles(t.member2)).isEmpty();
    }

    @Test
    void user_isLimitedPerWindow_onEveryInstance_with429RetryAfterAndTheQuotaNamed() {
        QuotaWindows.awaitRoom(db, quotaConfig.quotaWindow(), Duration.ofSeconds(15));
        String to = userAudience(t.member2Id);
        int accepted = 0;
        ValidatableResponse response;
        do {
            response = post(t.member, "/api/notifications", body(to, "Burst " + accepted));
            if (response.extract().statusCode() == 201) {
                accepted++;
            }
        } while (response.extract().statusCode() == 201 && accepted < 100);
        response.statusCode(429).contentType("application/problem+json").header("Retry-After", notNullValue())
                .body("quota", equalTo("user")).body("quota_key", equalTo(t.memberId))
                .body("limit", equalTo(quotaConfig.userRatePerMinute()));
        assertThat(accepted).isEqualTo(30); // notify.send.user-rate-per-minute
        // another user has their own budget
        post(t.member2, "/api/notifications", body(userAudience(t.memberId), "Still fine")).statusCode(201);
        // an admin is not limited by a user quota
        post(t.admin, "/api/notifications", body(to, "From the admin")).statusCode(201);
    }

    @Test
    void service_maySendWithinItsCompanies_only() {
        String service = serviceToken(Set.of(t.company));
        post(service, "/api/notifications", body(t.companyAudience(), "Invoice paid")).statusCode(201)
                .body("sender", equalTo("billing-service"));
        post(service, "/api/notifications", body(userAudience(t.memberId), "Your invoice")).statusCode(201);
        post(service, "/api/notifications", body("{\"type\":\"role\",\"role\":\"admin\",\"company\":\"" + t.company + "\"}",
                "Admins")).statusCode(201);

        post(service, "/api/notifications", body("{\"type\":\"company\",\"company\":\"" + t.otherCompany + "\"}", "No"))
                .statusCode(403);
        post(service, "/api/notifications", body(userAudience(t.outsiderId), "No")).statusCode(403);
        post(service, "/api/notifications", body("{\"type\":\"role\",\"role\":\"user\"}", "No")).statusCode(403);
        post(service, "/api/notifications", body("{\"type\":\"everyone\"}", "No")).statusCode(403);
        assertThat(Tenant.titles(t.member)).containsExactly("Your invoice", "Invoice paid");
        assertThat(Tenant.titles(t.outsider)).isEmpty();
    }

    @Test
    void broadcastToUserIds_reachesExactlyThoseUsers() {
        String body = "{\"user_ids\":[\"" + t.memberId + "\",\"" + t.outsiderId + "\"],\"title\":\"Two of you\","
                + "\"message\":\"m\",\"type\":\"info\"}";
        post(t.admin, "/api/notifications/broadcast", body).statusCode(201).body("audience.type", equalTo("users"));
        assertThat(Tenant.titles(t.member)).containsExactly("Two of you");
        assertThat(Tenant.titles(t.outsider)).containsExactly("Two of you");
        assertThat(Tenant.titles(t.member2)).isEmpty();
    }

    @Test
    void broadcastToUserIds_validatesTheContent() {
        post(t.admin, "/api/notifications/broadcast", "{\"user_ids\":[],\"title\":\"\",\"message\":\"m\"}")
                .statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("user_ids")));
        post(t.admin, "/api/notifications/broadcast", "{\"user_ids\":[\"" + t.memberId + "\"],\"title\":\"\",\"message\":\"m\"}")
                .statusCode(400).body("violations.field", hasItem(org.hamcrest.Matchers.containsString("title")));
    }

    @Test
    void seedEnvelope_toCompany_isStoredOnce_andIdempotentByItsId() {
        String id = "evt-" + UUID.randomUUID();
        String notificationId = post(t.admin, "/api/broadcast/company/" + t.company, envelope(id, "All hands"))
                .statusCode(201).body("type", equalTo("meeting")).body("data.room", equalTo("atrium"))
                .extract().path("id");
        post(t.admin, "/api/broadcast/company/" + t.company, envelope(id, "All hands"))
                .statusCode(200).body("id", equalTo(notificationId));
        assertThat(Tenant.titles(t.member)).containsExactly("All hands");
        assertThat(Tenant.titles(t.outsider)).isEmpty();
    }

    @Test
    void seedEnvelope_toRoleWithinCompany_andToEveryone() throws SQLException {
        post(t.admin, "/api/broadcast/role/admin?company=" + t.company, envelope("r-" + UUID.randomUUID(), "Admins only"))
                .statusCode(201);
        assertThat(Tenant.titles(t.admin)).contains("Admins only");
        assertThat(Tenant.titles(t.member)).doesNotContain("Admins only");

        String title = "Maintenance " + UUID.randomUUID();
        String id = post(t.admin, "/api/broadcast", envelope("e-" + UUID.randomUUID(), title)).statusCode(201)
                .extract().path("id");
        try {
            assertThat(Tenant.titles(t.member)).contains(title);
            assertThat(Tenant.titles(t.outsider)).contains(title);
        } finally {
            // everyone means every other test's users too: take it out of their inboxes
            try (Connection c = db.getConnection();
                    PreparedStatement ps = c.prepareStatement("DELETE FROM notifications WHERE id = ?::uuid")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
    }

    @Test
    void seedEnvelope_invalid_answersProblemNamingTheField() {
        post(t.admin, "/api/broadcast/company/" + t.company, "{\"id\":\"x\",\"type\":\"notification\"}")
                .statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("payload")));
        post(t.admin, "/api/broadcast/company/" + t.company,
                "{\"id\":\"y\",\"type\":\"notification\",\"payload\":{\"title\":\"\",\"message\":\"m\"}}")
                .statusCode(400).body("violations.field", hasItem(org.hamcrest.Matchers.containsString("title")));
        post(t.admin, "/api/broadcast/role/superuser", envelope("z", "Bad role"))
                .log().ifValidationFails().statusCode(400).body("violations.field", hasItem(org.hamcrest.Matchers.containsString("role")));
    }
}

package io.notify.notification.quota;

import static io.notify.notification.Tenant.body;
import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * A send quota an admin sets in auth-service arrives on {@code user-changes} and is enforced from then on: a company's
 * record sets the company's limit, a service account's record its own (a record without a quota, the default again).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class QuotaChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Tenant t = new Tenant();

    @Inject
    QuotaConfig config;
    @Inject
    AgroalDataSource db;

    @BeforeEach
    void roomInTheWindow() {
        QuotaWindows.awaitRoom(db, config.quotaWindow(), Duration.ofSeconds(20));
    }

    @Test
    void aCompanysQuotaFromUserChanges_isEnforced_andItsClearingRestoresTheDefault() throws Exception {
        // the sample's fields set as JSON: a text replace of its quota (60) would also change a slug holding "60"
        ObjectNode change = (ObjectNode) JSON.readTree(Contracts.sample("user-changes-company_send_quota_changed.json"));
        ((ObjectNode) change.get("company")).put("slug", t.company).put("send_quota_per_minute", 1);
        publish("company:" + t.company, change.toString());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            send(t.admin, body(t.companyAudience(), "Probe " + UUID.randomUUID()));
            send(t.admin, body(t.companyAudience(), "Over")).statusCode(429);
        });

        publish("company:" + t.company, "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"company_send_quota_changed\","
                + "\"occurred_at\":\"2026-12-05T21:40:00Z\",\"company\":{\"slug\":\"" + t.company + "\","
                + "\"send_quota_per_minute\":null}}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                send(t.admin, body(t.companyAudience(), "Default again")).statusCode(201));
    }

    @Test
    void aServiceAccountsQuotaFromUserChanges_isEnforced() {
        String id = UUID.randomUUID().toString();
        var claims = TestTokens.claims(id, "svc", null, java.util.Set.of("service"), java.time.Instant.now().plusSeconds(600));
        claims.unsetClaim("company");
        claims.setStringListClaim("companies", List.of(t.company));
        String token = TestTokens.sign(claims);
        publish(id, "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"service_account_send_quota_changed\","
                + "\"occurred_at\":\"2026-12-05T21:40:00Z\",\"service_account\":{\"id\":\"" + id + "\",\"client_id\":\"svc\","
                + "\"companies\":[\"" + t.company + "\"],\"enabled\":true,\"send_quota_per_minute\":0}}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                send(token, body(t.companyAudience(), "Stopped")).statusCode(429));
    }

    static io.restassured.response.ValidatableResponse send(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/notifications").then();
    }

    static void publish(String key, String value) {
        Contracts.assertValid(Contracts.USER_CHANGE, value);
        KafkaRecords.produce(new ProducerRecord<>("user-changes", key, value.getBytes(StandardCharsets.UTF_8)));
    }
}

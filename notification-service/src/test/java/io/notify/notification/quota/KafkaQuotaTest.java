package io.notify.notification.quota;

import static io.notify.notification.Tenant.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.PrometheusText;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * The Kafka intake over quota, and the configured default, with short windows (4 s) and a small default (4 per
 * window) so that nothing waits a minute: a burst over a company's quota is kept and stored in later windows, every
 * record once, while another company's records behind it on the same partition are stored at once.
 */
@QuarkusTest
@TestProfile(KafkaQuotaTest.ShortWindows.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class KafkaQuotaTest {

    static final Duration WINDOW = Duration.ofSeconds(4);
    static final int DEFAULT_COMPANY_QUOTA = 4;

    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notify.send.quota-window", WINDOW.toMillis() + "ms",
                    "notify.send.company-quota-per-minute", String.valueOf(DEFAULT_COMPANY_QUOTA));
        }
    }

    @Inject
    SendQuotas quotas;
    @Inject
    AgroalDataSource db;

    static ProducerRecord<String, byte[]> record(String partitionKey, String json) {
        return new ProducerRecord<>("notification-requests", partitionKey, json.getBytes(StandardCharsets.UTF_8));
    }

    static String request(String company, String title, String idempotencyKey) {
        String json = body("{\"type\":\"company\",\"company\":\"" + company + "\"}", title);
        return idempotencyKey == null ? json
                : json.replace("\"link\"", "\"idempotency_key\":\"" + idempotencyKey + "\",\"link\"");
    }

    @Test
    void burstOverACompanysQuota_isStoredInLaterWindows_noneLostNoneTwice_andDoesNotHoldUpOtherCompanies()
            throws SQLException {
        Tenant busy = new Tenant();
        Tenant quiet = new Tenant();
        int quota = 3;
        int burst = 12; // at least 3 windows more than the first
        quotas.setLimit(SendQuotas.COMPANY, busy.company, quota);
        String partition = "one-partition-" + UUID.randomUUID(); // every record below on the same partition, in order
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> titles = IntStream.range(0, burst).mapToObj(i -> "Burst " + i).toList();
        for (int i = 0; i < burst; i++) { // half with the producer's idempotency key, half without one
            records.add(record(partition, request(busy.company, titles.get(i), i % 2 == 0 ? "k-" + UUID.randomUUID() : null)));
        }
        records.add(record(partition, request(quiet.company, "Behind the burst 1", null)));
        records.add(record(partition, request(quiet.company, "Behind the burst 2", "q-" + UUID.randomUUID())));
        KafkaRecords.produce(records);

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Tenant.titles(quiet.member))
                .containsExactlyInAnyOrder("Behind the burst 1", "Behind the burst 2"));
        // stored while most of the burst still waits for its windows
        assertThat(Tenant.titles(busy.member).size()).isLessThan(burst);
        assertThat(deferred(busy.company)).isPositive();

        Awaitility.await().atMost(WINDOW.multipliedBy(burst / quota + 4).plusSeconds(10))
                .untilAsserted(() -> assertThat(Tenant.inbox(busy.member, Map.of("limit", 100)).getList("items.title",
                        String.class)).containsExactlyInAnyOrderElementsOf(titles)); // each once
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deferred(busy.company) == 0);
        assertThat(Tenant.inbox(busy.member, Map.of("limit", 100)).getList("items")).hasSize(burst);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(PrometheusText.value(metrics, "notify_company_sends_accepted_total", "company=" + busy.company))
                .isEqualTo(burst);
        assertThat(PrometheusText.value(metrics, "notify_company_sends_deferred_total", "company=" + busy.company))
                .isPositive();
    }

    @Test
    void aKeptRequestStoredAgain_createsNothingNew() throws SQLException {
        Tenant t = new Tenant();
        String key = "stored-" + UUID.randomUUID();
        String request = request(t.company, "Only once", key);
        KafkaRecords.produce(record(t.company, request));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Tenant.titles(t.member)).containsExactly("Only once"));

        // as if an instance stopped after storing this kept request but before deleting its row
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO deferred_sends (idempotency_key, company, request, due_at) VALUES (?, ?, ?, now())""")) {
            s.setString(1, key);
            s.setString(2, t.company);
            s.setString(3, request);
            s.executeUpdate();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> deferred(t.company) == 0);
        assertThat(Tenant.titles(t.member)).containsExactly("Only once");
    }

    @Test
    void withoutARow_theConfiguredDefaultApplies() {
        Tenant t = new Tenant();
        QuotaWindows.awaitRoom(db, WINDOW, Duration.ofMillis(2500));
        for (int i = 0; i < DEFAULT_COMPANY_QUOTA; i++) {
            Tenant.send(t.admin, body(t.companyAudience(), "Default " + i));
        }
        given().auth().oauth2(t.admin).contentType(ContentType.JSON).body(body(t.companyAudience(), "Over"))
                .post("/api/notifications").then().statusCode(429).body("quota", equalTo("company"))
                .body("limit", equalTo(DEFAULT_COMPANY_QUOTA)).body("window_seconds", equalTo(4))
                .body("detail", matchesPattern(t.company + "'s send quota of 4 per 4 s is used up; retry in [1-4] s"));
    }

    long deferred(String company) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM deferred_sends WHERE company = ?")) {
            s.setString(1, company);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

package io.notify.notification.send;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.PrometheusText;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The send meters beyond accepted/refused (see {@link SendPipelineTest}): the broadcast path, the group-commit batch
 * size, the intake lag and dead letters by reason, read from {@code /q/metrics}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SendMetersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    final Tenant t = new Tenant();

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    @Test
    void broadcasts_areTheirOwnPath_andEverySendIsInAGroupCommitBatch() {
        double broadcast = metric("notify_sends_accepted_total", "path=broadcast");
        double rest = metric("notify_sends_accepted_total", "path=rest");
        double batches = metric("notify_send_batch_size_count");
        double batched = metric("notify_send_batch_size_sum");

        given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(SendAuthorizationTest.envelope("m-" + UUID.randomUUID(), "Seed broadcast"))
                .post("/api/broadcast/company/" + t.company).then().statusCode(201);
        given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body("{\"title\":\"Users broadcast\",\"message\":\"To some\",\"user_ids\":[\"" + t.memberId + "\"]}")
                .post("/api/notifications/broadcast").then().statusCode(201);

        assertThat(metric("notify_sends_accepted_total", "path=broadcast") - broadcast).isGreaterThanOrEqualTo(2);
        // other tests' sends may be counted meanwhile, but never these two under rest
        assertThat(metric("notify_sends_accepted_total", "path=rest")).isGreaterThanOrEqualTo(rest);
        assertThat(metric("notify_send_batch_size_count") - batches).isGreaterThanOrEqualTo(1);
        assertThat(metric("notify_send_batch_size_sum") - batched).isGreaterThanOrEqualTo(2);
        assertThat(metric("notify_send_batch_size_bucket", "le=1.0")).isPositive();
    }

    @Test
    void intakeLag_isTheRecordsAgeWhenConsumed() {
        double count = metric("notify_intake_lag_seconds_count");
        double sum = metric("notify_intake_lag_seconds_sum");
        long tenSecondsAgo = System.currentTimeMillis() - 10_000;
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", null, tenSecondsAgo, t.memberId,
                ("{\"audience\":" + Tenant.userAudience(t.memberId) + ",\"title\":\"Late\",\"message\":\"Aged\"}")
                        .getBytes(StandardCharsets.UTF_8)));

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertThat(metric("notify_intake_lag_seconds_count") - count).isGreaterThanOrEqualTo(1);
            assertThat(metric("notify_intake_lag_seconds_sum") - sum).as("at least the record's 10 s age")
                    .isGreaterThanOrEqualTo(10);
        });
        assertThat(metric("notify_intake_lag_seconds_max")).isGreaterThanOrEqualTo(10);
    }

    @Test
    void deadLetters_areCountedByABoundedReason() {
        String[] reasons = { "not_json", "empty", "schema_version", "invalid" };
        double[] before = new double[reasons.length];
        for (int i = 0; i < reasons.length; i++) {
            before[i] = metric("notify_intake_dead_letters_total", "reason=" + reasons[i]);
        }
        String valid = "{\"audience\":" + Tenant.userAudience(t.memberId) + ",\"title\":\"t\",\"message\":\"m\"";
        String[] poisons = { "this is not json", "", valid + ",\"schema_version\":2}", valid + ",\"priority\":\"asap\"}" };
        for (String poison : poisons) {
            KafkaRecords.produce(new ProducerRecord<>("notification-requests", "poison-" + UUID.randomUUID(),
                    poison.getBytes(StandardCharsets.UTF_8)));
        }

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < reasons.length; i++) {
                assertThat(metric("notify_intake_dead_letters_total", "reason=" + reasons[i]) - before[i])
                        .as(reasons[i]).isGreaterThanOrEqualTo(1);
            }
        });
    }

    static double metric(String name, String... labels) {
        return PrometheusText.value(given().get("/q/metrics").then().statusCode(200).extract().asString(), name,
                labels);
    }
}

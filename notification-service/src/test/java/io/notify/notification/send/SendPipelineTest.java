package io.notify.notification.send;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** REST and the Kafka intake go through one send pipeline: one validation, one error shape, counted alike. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SendPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    final Tenant t = new Tenant();

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    @Test
    void anInvalidRequest_answersOverRestTheViolationsItsDeadLetterGivesAsReason() {
        String invalid = "{\"audience\":{\"type\":\"users\",\"user_ids\":[\"\"]},\"title\":\"\",\"priority\":\"asap\","
                + "\"data\":{\"k\":\"a\\u0000b\"}}";
        JsonPath problem = given().auth().oauth2(t.admin).contentType(ContentType.JSON).body(invalid)
                .post("/api/notifications").then().statusCode(400).contentType("application/problem+json")
                .extract().jsonPath();
        List<String> restFields = problem.getList("violations.field");
        assertThat(restFields).hasSizeGreaterThanOrEqualTo(4).contains("title", "message", "priority");
        assertThat(problem.getString("detail")).startsWith(restFields.get(0) + ": ");

        String key = "invalid-" + UUID.randomUUID();
        byte[] value = invalid.getBytes(StandardCharsets.UTF_8);
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", 0, key, value));
        assertThat(PoisonRecordsTest.deadLetterReason(key, value)).as("the same violations, in the same order")
                .isEqualTo(problem.getString("detail"));
    }

    @Test
    void aKeyUsedInAnEarlierBatch_answersTheStoredNotificationExactlyAsFirstAnswered() {
        String request = Tenant.body(t.companyAudience(), "Keyed").replace("\"link\"",
                "\"idempotency_key\":\"k-" + UUID.randomUUID() + "\",\"link\"");
        String first = given().auth().oauth2(t.admin).contentType(ContentType.JSON).body(request)
                .post("/api/notifications").then().statusCode(201).extract().asString();
        String again = given().auth().oauth2(t.admin).contentType(ContentType.JSON).body(request)
                .post("/api/notifications").then().statusCode(200).extract().asString();

        assertThat(JsonPath.from(again).getMap("")).isEqualTo(JsonPath.from(first).getMap(""));
    }

    @Test
    void metrics_countSendsAcceptedAndRefusedByPathAndReason_andEventsPublished() {
        double restAccepted = metric("notify_sends_accepted_total", "path=\"rest\"");
        double restInvalid = metric("notify_sends_refused_total", "path=\"rest\",reason=\"invalid\"");
        double restForbidden = metric("notify_sends_refused_total", "path=\"rest\",reason=\"forbidden\"");
        double kafkaAccepted = metric("notify_sends_accepted_total", "path=\"kafka\"");
        double kafkaInvalid = metric("notify_sends_refused_total", "path=\"kafka\",reason=\"invalid\"");
        double published = metric("notify_outbox_published_total", "");

        Tenant.send(t.admin, Tenant.body(t.companyAudience(), "Counted"));
        given().auth().oauth2(t.admin).contentType(ContentType.JSON).body("{\"title\":\"\"}")
                .post("/api/notifications").then().statusCode(400);
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body(Tenant.body(t.companyAudience(), "No"))
                .post("/api/notifications").then().statusCode(403);
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", t.memberId, ("{\"audience\":"
                + Tenant.userAudience(t.memberId) + ",\"title\":\"From Kafka\",\"message\":\"Counted\"}")
                .getBytes(StandardCharsets.UTF_8)));
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", t.memberId,
                "{\"title\":\"\"}".getBytes(StandardCharsets.UTF_8)));

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertThat(metric("notify_sends_accepted_total", "path=\"rest\"")).isGreaterThanOrEqualTo(restAccepted + 1);
            assertThat(metric("notify_sends_refused_total", "path=\"rest\",reason=\"invalid\""))
                    .isGreaterThanOrEqualTo(restInvalid + 1);
            assertThat(metric("notify_sends_refused_total", "path=\"rest\",reason=\"forbidden\""))
                    .isGreaterThanOrEqualTo(restForbidden + 1);
            assertThat(metric("notify_sends_accepted_total", "path=\"kafka\"")).isGreaterThanOrEqualTo(kafkaAccepted + 1);
            assertThat(metric("notify_sends_refused_total", "path=\"kafka\",reason=\"invalid\""))
                    .isGreaterThanOrEqualTo(kafkaInvalid + 1);
            assertThat(metric("notify_outbox_published_total", "")).isGreaterThanOrEqualTo(published + 2);
        });
        assertThat(metric("notify_outbox_pending", "")).isNotNegative();
        assertThat(metric("notify_outbox_lag_seconds", "")).isNotNegative();
    }

    /** A sample's value on /q/metrics (0 when the series is not there yet); labels as {@code a="x",b="y"}. */
    static double metric(String name, String labels) {
        return SendMetersTest.metric(name, labels.isEmpty() ? new String[0] : labels.replace("\"", "").split(","));
    }
}

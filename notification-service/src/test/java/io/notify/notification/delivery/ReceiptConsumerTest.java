package io.notify.notification.delivery;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.delivery.DeliveryTesting.count;
import static io.notify.notification.delivery.DeliveryTesting.delivery;
import static io.notify.notification.delivery.DeliveryTesting.events;
import static io.notify.notification.delivery.DeliveryTesting.publish;
import static io.notify.notification.delivery.DeliveryTesting.receipt;
import static io.notify.notification.delivery.DeliveryTesting.sampleFor;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.PrometheusText;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** The consumer side of {@code notification-receipts}: what a gateway publishes is counted, once. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ReceiptConsumerTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    final Tenant t = new Tenant();

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    @Test
    void theContractSample_isCounted_andItsTwoUsersGetOneDeliveredEventEach() {
        String id = t.send(body(t.companyAudience(), "Company news"));
        String sample = sampleFor(id);
        Contracts.assertValid(Contracts.NOTIFICATION_RECEIPTS, sample);

        publish(id, sample);

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            JsonPath d = delivery(t.admin, id);
            assertThat(d.getInt("delivered_users")).isEqualTo(2);
            assertThat(d.getInt("delivered_sockets")).isEqualTo(3);
        });
        JsonPath d = delivery(t.admin, id);
        assertThat(d.getString("notification_id")).isEqualTo(id);
        assertThat(d.getString("audience.type")).isEqualTo("company");
        assertThat(d.getInt("audience_size")).as("the directory's count of the company").isEqualTo(3);
        assertThat(d.getString("first_delivered_at")).isEqualTo("2025-06-02T09:15:00.181Z");
        assertThat(d.getString("last_delivered_at")).isEqualTo("2025-06-02T09:15:00.214Z");
        assertThat(d.getMap("")).doesNotContainKey("undelivered_user_ids");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<JsonPath> events = events(id);
            assertThat(count(events, "delivered", "u-1001")).isEqualTo(1);
            assertThat(count(events, "delivered", "u-1002")).isEqualTo(1);
        });
        JsonPath event = events(id).stream().filter(e -> "u-1001".equals(e.getString("user_id"))).findFirst().orElseThrow();
        assertThat(event.getString("company")).isEqualTo("company_a");
        assertThat(event.getString("occurred_at")).isEqualTo("2025-06-02T09:15:00.181Z");
    }

    @Test
    void theSameBatchPublishedTwice_countsOnce_whileANewBatchOfAKnownUserAddsOnlyItsSockets() {
        String id = t.send(body(t.companyAudience(), "Twice"));
        String batch = sampleFor(id);
        publish(id, batch);
        publish(id, batch); // a producer retry, or a redelivery after a consumer restart
        publish(id, receipt(id, "u-1001", 1)); // the same user on another gateway: one more socket, no more users
        publish(id, receipt(id, "u-2000", 1)); // applied after the others: same key, same partition

        Awaitility.await().atMost(WAIT).untilAsserted(
                () -> assertThat(delivery(t.admin, id).getInt("delivered_users")).isEqualTo(3));
        JsonPath d = delivery(t.admin, id);
        assertThat(d.getInt("delivered_sockets")).isEqualTo(2 + 1 + 1 + 1);
        List<JsonPath> events = events(id);
        assertThat(count(events, "delivered", "u-1001")).isEqualTo(1);
        assertThat(count(events, "delivered", "u-1002")).isEqualTo(1);
        assertThat(count(events, "delivered", "u-2000")).isEqualTo(1);
        assertThat(metric("duplicate")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void invalidRecords_areDeadLetteredWithTheirReason_andTheConsumerGoesOn() {
        String id = t.send(body(t.companyAudience(), "Poisoned"));
        String notJson = "poison-" + UUID.randomUUID();
        String noSockets = "poison-" + UUID.randomUUID();
        byte[] notJsonValue = "this is not json".getBytes(StandardCharsets.UTF_8);
        byte[] noSocketsValue = receipt(id, "u-1", 1).replace("\"sockets\": 1", "\"sockets\": 0")
                .getBytes(StandardCharsets.UTF_8);
        KafkaRecords.produce(new ProducerRecord<>(DeliveryTesting.RECEIPTS, notJson, notJsonValue));
        KafkaRecords.produce(new ProducerRecord<>(DeliveryTesting.RECEIPTS, noSockets, noSocketsValue));
        publish(id, receipt(id, "u-after", 1));

        Awaitility.await().atMost(WAIT).untilAsserted(
                () -> assertThat(delivery(t.admin, id).getInt("delivered_users")).as("the consumer went on").isEqualTo(1));
        assertThat(deadLetterReason(notJson, notJsonValue)).contains("not a NotificationReceipts JSON object");
        assertThat(deadLetterReason(noSockets, noSocketsValue)).contains("receipts[0].sockets");
        assertThat(delivery(t.admin, id).getInt("delivered_sockets")).as("the invalid one changed nothing").isEqualTo(1);
    }

    @Test
    void receiptsOfAnUnknownNotification_areSkipped_notDeadLettered() {
        String unknown = UUID.randomUUID().toString();
        double before = metric("unknown_notification");
        publish(unknown, receipt(unknown, "u-1", 1));
        Awaitility.await().atMost(WAIT).until(() -> metric("unknown_notification") > before);
        assertThat(KafkaRecords.readToEnd("notification-receipts-dlq", r -> unknown.equals(r.key()))).isEmpty();
    }

    @Inject
    ReceiptConsumer.ReceiptApplier applier;

    @Test
    void batchesOfOneNotificationAppliedConcurrently_countEachUserOnce() throws Exception {
        String id = t.send(body(t.companyAudience(), "Concurrent"));
        int gateways = 8;
        List<String> users = IntStream.range(0, 20).mapToObj(i -> "u-c" + i).toList();
        var pool = Executors.newFixedThreadPool(gateways);
        var start = new CountDownLatch(1);
        try {
            List<Future<DeliveryMetrics.Outcome>> applied = new ArrayList<>();
            for (int g = 0; g < gateways; g++) {
                // every gateway saw every user (one socket each), listed in its own order
                List<NotificationReceipts.Receipt> receipts = new ArrayList<>(users.stream()
                        .map(u -> new NotificationReceipts.Receipt(u, t.company, 1,
                                OffsetDateTime.parse("2026-01-01T10:00:00Z"),
                                OffsetDateTime.parse("2026-01-01T10:00:01Z")))
                        .toList());
                Collections.shuffle(receipts);
                NotificationReceipts batch = new NotificationReceipts(1, UUID.randomUUID(), "gw-" + g,
                        UUID.fromString(id), receipts);
                applied.add(pool.submit(() -> {
                    start.await();
                    return applier.applyDurably(List.of(batch)).get(0);
                }));
            }
            start.countDown();
            for (var outcome : applied) {
                assertThat(outcome.get(60, TimeUnit.SECONDS)).isEqualTo(DeliveryMetrics.Outcome.APPLIED);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonPath d = delivery(t.admin, id);
        assertThat(d.getInt("delivered_users")).isEqualTo(users.size());
        assertThat(d.getInt("delivered_sockets")).isEqualTo(users.size() * gateways);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<JsonPath> events = events(id);
            assertThat(events).hasSize(users.size());
            users.forEach(u -> assertThat(count(events, "delivered", u)).as(u).isEqualTo(1));
        });
    }

    static String deadLetterReason(String key, byte[] original) {
        ConsumerRecord<String, byte[]> dead = KafkaRecords.awaitRecord("notification-receipts-dlq", r -> key.equals(r.key()));
        assertThat(dead.value()).isEqualTo(original);
        Map<String, String> headers = KafkaRecords.headers(dead);
        assertThat(headers.get("dead-letter-topic")).isEqualTo("notification-receipts");
        assertThat(Contracts.validateHeaders("NotificationReceiptsDeadLetter", headers)).isEmpty();
        return headers.get("dead-letter-reason");
    }

    static double metric(String outcome) {
        return PrometheusText.value(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "notify_receipts_processed_total", "outcome=" + outcome);
    }
}

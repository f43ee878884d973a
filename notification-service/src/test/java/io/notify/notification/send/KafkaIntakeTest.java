package io.notify.notification.send;

import static io.notify.infra.test.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class KafkaIntakeTest {

    final String userId = UUID.randomUUID().toString();
    final String userToken = token(userId, "someone", "co_" + userId.substring(0, 8), Set.of("user"));

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    String request(String title) {
        return "{\"audience\":{\"type\":\"user\",\"user_ids\":[\"" + userId + "\"]},\"title\":\"" + title
                + "\",\"message\":\"From a backend\",\"type\":\"approval\"}";
    }

    List<String> inboxTitles() {
        return Tenant.titles(userToken);
    }

    @Test
    void recordFromPlainProducer_landsInTheInbox() {
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", userId, utf8(request("Approve PO-7"))));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(inboxTitles()).containsExactly("Approve PO-7"));
    }

    // poison records (not JSON, wrong types, missing fields, oversize, unknown schema version): PoisonRecordsTest

    @Test
    void redeliveredRecordWithSameIdempotencyHeader_createsOneNotification() {
        String key = "order-" + UUID.randomUUID();
        for (String title : List.of("Shipped", "Shipped (retry)")) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>("notification-requests", userId,
                    utf8(request(title)));
            record.headers().add("idempotency-key", utf8(key));
            KafkaRecords.produce(record);
        }
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", userId, utf8(request("Marker"))));

        // the marker is behind both duplicates on the same partition: once it is in, both were processed
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(inboxTitles()).containsExactly("Marker", "Shipped"));
    }
}

package io.notify.notification.send;

import static io.notify.infra.test.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.notify.infra.kafka.Topics;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Poison records on {@code notification-requests}: each lands on the DLQ unchanged with its reason,
 * and the intake never stalls. Every record of a test goes to partition 0, followed by a valid
 * marker: once the marker is in the inbox, everything before it on that partition was handled.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class PoisonRecordsTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    final String userId = UUID.randomUUID().toString();
    final String userToken = token(userId, "someone", "co_" + userId.substring(0, 8), Set.of("user"));

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    String audience() {
        return "{\"type\":\"user\",\"user_ids\":[\"" + userId + "\"]}";
    }

    String request(String title) {
        return "{\"audience\":" + audience() + ",\"title\":\"" + title + "\",\"message\":\"From a backend\"}";
    }

    /** Sends each poison (its own key) to partition 0, then a valid marker; returns the keys in order. */
    String[] sendThenMarker(byte[]... poisons) {
        String[] keys = new String[poisons.length];
        for (int i = 0; i < poisons.length; i++) {
            keys[i] = "poison-" + UUID.randomUUID();
            KafkaRecords.produce(new ProducerRecord<>("notification-requests", 0, keys[i], poisons[i]));
        }
        String marker = "Marker " + UUID.randomUUID();
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", 0, userId, utf8(request(marker))));
        Awaitility.await().atMost(WAIT).untilAsserted(
                () -> assertThat(Tenant.titles(userToken)).as("the intake went on past the poison").contains(marker));
        return keys;
    }

    /** The dead letter of the record with this key: original bytes, and the reason header. */
    static String deadLetterReason(String key, byte[] original) {
        ConsumerRecord<String, byte[]> dead = KafkaRecords.awaitRecord("notification-requests-dlq",
                r -> key.equals(r.key()));
        assertThat(Arrays.equals(dead.value(), original)).as("the DLQ keeps the original value").isTrue();
        Map<String, String> headers = KafkaRecords.headers(dead);
        assertThat(headers.get("dead-letter-topic")).isEqualTo("notification-requests");
        assertThat(headers.get("dead-letter-partition")).isEqualTo("0");
        return headers.get("dead-letter-reason");
    }

    @Test
    void notJson_isDeadLetteredWithItsReason() {
        Map<byte[], String> poisons = new LinkedHashMap<>();
        poisons.put(utf8("this is not json"), "not a NotificationRequest JSON object: Unrecognized token 'this'");
        poisons.put(new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF, 0x00 }, "not a NotificationRequest JSON object");
        poisons.put(utf8("{\"audience\": "), "not a NotificationRequest JSON object");
        poisons.put(utf8("[1, 2, 3]"), "not a NotificationRequest JSON object");
        poisons.put(utf8("null"), "value is JSON null");
        poisons.put(new byte[0], "empty record value");
        byte[][] values = poisons.keySet().toArray(byte[][]::new);
        String[] keys = sendThenMarker(values);
        for (int i = 0; i < values.length; i++) {
            assertThat(deadLetterReason(keys[i], values[i])).contains(poisons.get(values[i]));
        }
    }

    @Test
    void wrongTypes_areDeadLetteredNamingTheField() {
        Map<String, String> poisons = new LinkedHashMap<>();
        poisons.put("{\"audience\":\"everyone\",\"title\":\"t\",\"message\":\"m\"}", "at audience:");
        poisons.put("{\"audience\":" + audience() + ",\"title\":{\"nested\":true},\"message\":\"m\"}", "at title:");
        poisons.put("{\"audience\":{\"type\":\"user\",\"user_ids\":\"" + userId + "\"},\"title\":\"t\",\"message\":\"m\"}",
                "at audience.user_ids:");
        poisons.put("{\"audience\":" + audience() + ",\"title\":\"t\",\"message\":\"m\",\"data\":[1,2]}", "at data:");
        poisons.put("{\"audience\":" + audience() + ",\"title\":\"t\",\"message\":\"m\",\"expires_at\":\"tomorrow\"}",
                "at expires_at:");
        poisons.put("{\"audience\":" + audience() + ",\"title\":\"t\",\"message\":\"m\",\"priority\":5}",
                "priority: must be one of low, normal, high, urgent");
        poisons.put("{\"audience\":{\"type\":\"planet\"},\"title\":\"t\",\"message\":\"m\"}", "audience.type");
        String[] values = poisons.keySet().toArray(String[]::new);
        String[] keys = sendThenMarker(Arrays.stream(values).map(PoisonRecordsTest::utf8).toArray(byte[][]::new));
        for (int i = 0; i < values.length; i++) {
            assertThat(deadLetterReason(keys[i], utf8(values[i]))).as(values[i]).contains(poisons.get(values[i]));
        }
    }

    @Test
    void missingFields_areDeadLetteredNamingEachField() {
        byte[] empty = utf8("{}");
        byte[] noTitle = utf8("{\"audience\":" + audience() + ",\"message\":\"There is no title\"}");
        byte[] noUsers = utf8("{\"audience\":{\"type\":\"user\"},\"title\":\"t\",\"message\":\"m\"}");
        String[] keys = sendThenMarker(empty, noTitle, noUsers);

        assertThat(deadLetterReason(keys[0], empty))
                .contains("audience: must not be null").contains("message: must not be blank")
                .contains("title: must not be blank");
        assertThat(deadLetterReason(keys[1], noTitle)).isEqualTo("title: must not be blank");
        assertThat(deadLetterReason(keys[2], noUsers)).contains("audience.user_ids");
    }

    @Test
    void nulCharacters_areDeadLettered_notRetriedForever() {
        // PostgreSQL cannot store U+0000: such a record used to fail every store attempt, holding its partition
        byte[] nulTitle = utf8(request("Nul\\u0000inside"));
        byte[] nulData = utf8("{\"audience\":" + audience() + ",\"title\":\"t\",\"message\":\"m\",\"data\":{\"k\":\"\\u0000\"}}");
        String[] keys = sendThenMarker(nulTitle, nulData);

        assertThat(deadLetterReason(keys[0], nulTitle)).isEqualTo("title: must not contain the NUL character (\\u0000)");
        assertThat(deadLetterReason(keys[1], nulData)).isEqualTo("data: must not contain the NUL character (\\u0000)");
    }

    @Test
    void tenMegabyteValues_areDeadLetteredWhole() {
        byte[] hugeTitle = utf8(request("x".repeat(10 * 1024 * 1024)));
        byte[] hugeGarbage = new byte[10 * 1024 * 1024];
        Arrays.fill(hugeGarbage, (byte) '#');
        String[] keys = sendThenMarker(hugeTitle, hugeGarbage);

        assertThat(deadLetterReason(keys[0], hugeTitle)).isEqualTo("title: size must be between 0 and 200");
        String reason = deadLetterReason(keys[1], hugeGarbage);
        assertThat(reason).startsWith("not a NotificationRequest JSON object");
        assertThat(reason.length()).as("the reason does not echo the value").isLessThan(2_000);
    }

    @Test
    void valuesBeyondTheTopicLimit_areRefusedToTheProducer() {
        byte[] tooBig = new byte[Topics.MAX_REQUEST_RECORD_BYTES + 1024];
        assertThatThrownBy(() -> KafkaRecords.produce(
                new ProducerRecord<>("notification-requests", 0, "too-big-" + UUID.randomUUID(), tooBig)))
                .isInstanceOf(RecordTooLargeException.class);
        sendThenMarker(); // and the intake is unaffected
    }

    @Test
    void unknownSchemaVersion_isDeadLetteredForANewerConsumer() {
        byte[] v2Field = utf8(request("From the future").replace("{\"audience\"", "{\"schema_version\":2,\"audience\""));
        byte[] v1Field = utf8(request("Version one").replace("{\"audience\"", "{\"schema_version\":1,\"audience\""));
        String v2HeaderKey = "poison-" + UUID.randomUUID();
        byte[] v2Header = utf8(request("Header from the future"));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("notification-requests", 0, v2HeaderKey, v2Header);
        record.headers().add("schema-version", utf8("2"));
        KafkaRecords.produce(record);
        String[] keys = sendThenMarker(v2Field, v1Field);

        assertThat(deadLetterReason(keys[0], v2Field))
                .isEqualTo("unsupported schema_version 2: this consumer reads version 1");
        assertThat(deadLetterReason(v2HeaderKey, v2Header))
                .isEqualTo("unsupported schema_version 2: this consumer reads version 1");
        assertThat(Tenant.titles(userToken)).contains("Version one").doesNotContain("From the future",
                "Header from the future");
    }
}

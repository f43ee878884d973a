package io.notify.notification.delivery;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.restassured.path.json.JsonPath;

/** Receipts as a gateway publishes them, the delivery endpoint, and the engagement events on the topic. */
final class DeliveryTesting {

    static final String RECEIPTS = "notification-receipts";
    static final String ENGAGEMENT = "notification-engagement";

    private DeliveryTesting() {
    }

    /** The contract's sample, for this notification, with a fresh batch id. */
    static String sampleFor(String notificationId) {
        return Contracts.sample("notification-receipts.json")
                .replace("7d9f0e2a-61c4-4c7b-8b1e-2f4a5c6d7e8f", notificationId)
                .replace("3f1c9a52-8d0e-4b7a-9c61-2e5d7f0a4b18", UUID.randomUUID().toString());
    }

    /** One receipt of one user with {@code sockets} sockets, in a batch of its own. */
    static String receipt(String notificationId, String userId, int sockets) {
        return """
                {"schema_version": 1, "batch_id": "%s", "gateway": "gw-test", "notification_id": "%s",
                 "receipts": [{"user_id": "%s", "company": null, "sockets": %d,
                               "first_acked_at": "2026-01-01T10:00:00Z", "last_acked_at": "2026-01-01T10:00:01Z"}]}"""
                .formatted(UUID.randomUUID(), notificationId, userId, sockets);
    }

    static void publish(String notificationId, String json) {
        KafkaRecords.produce(new ProducerRecord<>(RECEIPTS, notificationId, json.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonPath delivery(String token, String notificationId) {
        return given().auth().oauth2(token).get("/api/notifications/" + notificationId + "/delivery")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Every engagement event of this notification on the topic now (each validated against the contract). */
    static List<JsonPath> events(String notificationId) {
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readToEnd(ENGAGEMENT,
                r -> notificationId.equals(r.key()));
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).peek(json -> {
            Contracts.assertValid(Contracts.ENGAGEMENT_EVENT, json);
        }).map(JsonPath::from).toList();
    }

    /** The events of one kind for one user. */
    static long count(List<JsonPath> events, String kind, String userId) {
        return events.stream().filter(e -> kind.equals(e.getString("kind")) && userId.equals(e.getString("user_id")))
                .count();
    }
}

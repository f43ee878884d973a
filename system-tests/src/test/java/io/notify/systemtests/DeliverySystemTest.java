package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.infra.contract.Contracts;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * "Did they get it?" answered end to end: sockets on two gateways acknowledge a notification, the gateways publish
 * the receipts, notification-service counts them once, and the sender reads the delivery figures and the
 * engagement topic.
 */
@ExtendWith(SuiteExtension.class)
class DeliverySystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ADMIN_ID = "00000000-0000-4000-8000-00000000a001";
    static final String USER1_ID = "00000000-0000-4000-8000-00000000a002";
    static Api api;
    static Suite suite;

    @BeforeAll
    static void suite(Suite running) {
        suite = running;
        api = new Api(running);
    }

    static TestSocket onGateway(int index, String token) {
        return api.onGateway(index, token);
    }

    @Test
    void twoSocketsOnTwoGateways_countAsOneUserAndTwoSockets_readAndClickOnce_andTheUserWithoutASocketIsUndelivered() {
        String admin = api.login("admin", "wkwkwk");
        String user1 = api.login("user1", "wkwkwk");
        String id;
        try (TestSocket tabA = onGateway(0, user1); TestSocket tabB = onGateway(1, user1)) {
            // admin has no socket open: it is the recipient nobody's device acknowledges
            id = api.send(admin, Notification.to(Audience.users(USER1_ID, ADMIN_ID)).title("Did they get it " + UUID.randomUUID())
                    .message("m").type("info").link("/somewhere").build()).id().toString();
            String frameId = id;
            tabA.await(f -> frameId.equals(f.getString("id")), WAIT);
            tabB.await(f -> frameId.equals(f.getString("id")), WAIT);

            String foreign = UUID.randomUUID().toString();
            tabA.send("{\"type\":\"ack\",\"ref\":\"bad\",\"ids\":[\"" + foreign + "\"]}");
            JsonObject refused = tabA.await(f -> "error".equals(f.getString("type")) && "bad".equals(f.getString("ref")), WAIT);
            assertThat(refused.getString("code")).isEqualTo("not_found");
            assertThat(refused.getString("message")).contains(foreign);

            tabA.send("{\"type\":\"ack\",\"ids\":[\"" + id + "\"]}");
            tabB.send("{\"type\":\"ack\",\"ids\":[\"" + id + "\"]}");
            await().atMost(WAIT).untilAsserted(() -> {
                JsonPath delivery = delivery(admin, id);
                assertThat(delivery.getInt("delivered_users")).isEqualTo(1);
                assertThat(delivery.getInt("delivered_sockets")).isEqualTo(2);
            });
            // a second ack of the same frame is refused and counts nothing
            tabA.send("{\"type\":\"ack\",\"ref\":\"again\",\"ids\":[\"" + id + "\"]}");
            assertThat(tabA.await(f -> "error".equals(f.getString("type")) && "again".equals(f.getString("ref")), WAIT)
                    .getString("code")).isEqualTo("not_found");

            tabB.send("{\"type\":\"clicked\",\"ref\":\"c1\",\"id\":\"" + id + "\"}");
            tabB.await(f -> "notification_clicked".equals(f.getString("type")) && "c1".equals(f.getString("ref")), WAIT);
        }
        api.as(user1).post("/api/notifications/" + id + "/read").then().statusCode(204);
        api.as(user1).post("/api/notifications/" + id + "/read").then().statusCode(204);
        api.as(user1).post("/api/notifications/" + id + "/clicked").then().statusCode(204);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath delivery = delivery(admin, id);
            assertThat(delivery.getString("notification_id")).isEqualTo(id);
            assertThat(delivery.getInt("audience_size")).isEqualTo(2);
            assertThat(delivery.getInt("delivered_users")).isEqualTo(1);
            assertThat(delivery.getInt("delivered_sockets")).isEqualTo(2);
            assertThat(delivery.getInt("read_users")).isEqualTo(1);
            assertThat(delivery.getInt("clicked_users")).isEqualTo(1);
            assertThat(delivery.getString("first_delivered_at")).isNotNull();
            assertThat(delivery.getList("undelivered_user_ids", String.class)).containsExactly(ADMIN_ID);
        });
        // a recipient is neither the sender nor an admin: the figures are not theirs to see
        api.as(user1).get("/api/notifications/" + id + "/delivery").then().statusCode(404);

        List<JsonObject> expected = List.of(
                new JsonObject().put("kind", "delivered").put("user_id", USER1_ID),
                new JsonObject().put("kind", "read").put("user_id", USER1_ID),
                new JsonObject().put("kind", "clicked").put("user_id", USER1_ID),
                new JsonObject().put("kind", "undelivered").put("user_id", ADMIN_ID));
        try (Engagement engagement = new Engagement(suite.kafkaBootstrap())) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(engagement.of(id)).hasSize(expected.size()));
            // exactly once: nothing more arrives while the suite keeps running
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(engagement.of(id)).hasSize(expected.size()));
            List<JsonObject> events = engagement.of(id);
            assertThat(events.stream().map(e -> new JsonObject().put("kind", e.getString("kind")).put("user_id", e.getString("user_id"))))
                    .containsExactlyInAnyOrderElementsOf(expected);
            events.forEach(e -> Contracts.assertValid(Contracts.ENGAGEMENT_EVENT, e.encode()));
        }
    }

    static JsonPath delivery(String token, String id) {
        return api.as(token).get("/api/notifications/" + id + "/delivery").then().statusCode(200).extract().jsonPath();
    }

    /** Every record of {@code notification-engagement}, read from the beginning, grouped by key (the notification id). */
    static final class Engagement implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

        Engagement(String bootstrap) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
            List<TopicPartition> partitions = consumer.partitionsFor("notification-engagement").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        List<JsonObject> of(String notificationId) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.stream().filter(r -> notificationId.equals(r.key())).map(r -> new JsonObject(r.value())).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}

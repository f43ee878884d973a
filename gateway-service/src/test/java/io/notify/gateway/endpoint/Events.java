package io.notify.gateway.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import io.vertx.core.json.JsonObject;

/** Publishes created events on notification-events as notification-service does. */
final class Events {

    private Events() {
    }

    static JsonObject created(JsonObject audience, String title, String type, String priority, JsonObject data) {
        String id = UUID.randomUUID().toString();
        JsonObject notification = new JsonObject().put("id", id).put("seq", System.nanoTime())
                .put("title", title).put("message", "msg").put("type", type).put("priority", priority)
                .put("data", data).put("sender", "admin")
                .put("created_at", Instant.now().toString()).put("audience", audience);
        return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("schema_version", 1)
                .put("kind", "created").put("seq", notification.getLong("seq")).put("audience", audience)
                .put("occurred_at", Instant.now().toString()).put("notification", notification);
    }

    /** A preferences_updated event for {@code userId}: {@code types} maps a type to whether it is pushed. */
    static JsonObject preferencesUpdated(String userId, JsonObject types) {
        JsonObject audience = new JsonObject().put("type", "user").put("user_ids", List.of(userId));
        return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("schema_version", 1)
                .put("kind", "preferences_updated").put("seq", System.nanoTime()).put("audience", audience)
                .put("occurred_at", Instant.now().toString()).put("preferences", new JsonObject().put("types", types));
    }

    /** A subscription_changed event: {@code userId} subscribed to (or left) the company's topic at this event's seq. */
    static JsonObject subscriptionChanged(String userId, String company, String topic, boolean subscribed) {
        JsonObject audience = new JsonObject().put("type", "user").put("user_ids", List.of(userId));
        return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("schema_version", 1)
                .put("kind", "subscription_changed").put("seq", System.nanoTime()).put("audience", audience)
                .put("occurred_at", Instant.now().toString()).put("subscription",
                        new JsonObject().put("topic", topic).put("company", company).put("subscribed", subscribed));
    }

    /** Sends the events in order under one key; returns their notification ids (null for other events). */
    static List<String> publish(String key, List<JsonObject> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (JsonObject event : events) {
                producer.send(new ProducerRecord<>("notification-events", key, event.encode()));
            }
            producer.flush();
        }
        return events.stream().map(e -> e.containsKey("notification") ? e.getJsonObject("notification").getString("id") : null)
                .toList();
    }
}

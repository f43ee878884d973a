package io.notify.infra.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The suite's topics, as contracts/asyncapi.yaml describes them. {@code notification-events} has
 * one partition: every gateway reads every event anyway, and one partition gives all of them one
 * total order, in which a client's "last seq seen" means "everything before it seen" too.
 * <p>
 * {@code notification-requests} and its dead-letter topic accept records up to
 * {@link #MAX_REQUEST_RECORD_BYTES} (the broker default is 1 MiB): an oversized request from a
 * producer must reach notification-service and be dead-lettered with its reason and original bytes,
 * not vanish in a producer's error log. Anything larger is refused to the producer by the broker.
 * {@code notification-receipts} (gateways → notification-service) and {@code notification-engagement}
 * (notification-service → producers) are keyed by notification id; invalid receipts go to
 * {@code notification-receipts-dlq}. {@code user-changes} (auth-service → gateways and notification-service) is
 * keyed by user or service account id and compacted: it keeps every account's latest state.
 * The Kubernetes manifests create the topics with the same settings.
 */
public final class Topics {

    public static final Map<String, Integer> PARTITIONS = partitions();

    /** 16 MiB: the largest request record the intake takes. */
    public static final int MAX_REQUEST_RECORD_BYTES = 16 * 1024 * 1024;
    /** The DLQ keeps the original record and adds the reason headers: 1 MiB of room for them. */
    public static final int MAX_DEAD_LETTER_RECORD_BYTES = MAX_REQUEST_RECORD_BYTES + 1024 * 1024;

    /** A receipts record (at most 1,000 receipts, about 200 KB) stays within the broker's default 1 MiB. */
    public static final int MAX_RECEIPTS_RECORD_BYTES = 1024 * 1024;
    /** Its dead letter: the original record plus the reason headers. */
    public static final int MAX_RECEIPTS_DEAD_LETTER_BYTES = 2 * MAX_RECEIPTS_RECORD_BYTES;

    /** Topic-level settings that differ from the broker defaults. */
    public static final Map<String, Map<String, String>> CONFIGS = Map.of(
            "notification-requests", Map.of("max.message.bytes", String.valueOf(MAX_REQUEST_RECORD_BYTES)),
            "notification-requests-dlq", Map.of("max.message.bytes", String.valueOf(MAX_DEAD_LETTER_RECORD_BYTES)),
            "notification-receipts-dlq", Map.of("max.message.bytes", String.valueOf(MAX_RECEIPTS_DEAD_LETTER_BYTES)),
            // the latest state of every user and service account is kept: a new consumer reads the whole directory
            "user-changes", Map.of("cleanup.policy", "compact"));

    private Topics() {
    }

    private static Map<String, Integer> partitions() {
        Map<String, Integer> p = new LinkedHashMap<>();
        p.put("notification-requests", 3);
        p.put("notification-requests-dlq", 1);
        p.put("notification-events", 1);
        // keyed by notification id: one consumer applies a notification's receipts, several instances share the topic
        p.put("notification-receipts", 3);
        p.put("notification-receipts-dlq", 1);
        // keyed by notification id, for producers' own consumers
        p.put("notification-engagement", 3);
        // auth-service → gateways and notification-service, keyed by user or service account id (one key's changes in order)
        p.put("user-changes", 3);
        return java.util.Collections.unmodifiableMap(p);
    }

    /** Creates the topics that do not exist yet, and brings the settings of existing ones up to date. */
    public static void create(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (Map.Entry<String, Integer> topic : PARTITIONS.entrySet()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), (short) 1)
                            .configs(CONFIGS.getOrDefault(topic.getKey(), Map.of())))).all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.getKey(), e.getCause());
                    }
                    updateConfigs(admin, topic.getKey());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topics in time", e);
        }
    }

    /** A data dir from before a setting was added (the local launch keeps its data) gets it too. */
    private static void updateConfigs(Admin admin, String topic) throws InterruptedException, TimeoutException {
        Map<String, String> configs = CONFIGS.getOrDefault(topic, Map.of());
        if (configs.isEmpty()) {
            return;
        }
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops)).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot update the settings of topic " + topic, e.getCause());
        }
    }
}

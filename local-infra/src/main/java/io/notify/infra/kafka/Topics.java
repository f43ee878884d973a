package io.notify.infra.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The suite's topics, as contracts/asyncapi.yaml describes them. {@code notification-events} has
 * one partition: every gateway reads every event anyway, and one partition gives all of them one
 * total order, in which a client's "last seq seen" means "everything before it seen" too.
 */
public final class Topics {

    public static final Map<String, Integer> PARTITIONS = partitions();

    private Topics() {
    }

    private static Map<String, Integer> partitions() {
        Map<String, Integer> p = new LinkedHashMap<>();
        p.put("notification-requests", 3);
        p.put("notification-requests-dlq", 1);
        p.put("notification-events", 1);
        return java.util.Collections.unmodifiableMap(p);
    }

    /** Creates the topics that do not exist yet. */
    public static void create(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (Map.Entry<String, Integer> topic : PARTITIONS.entrySet()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topics in time", e);
        }
    }
}

package io.notify.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource providing a real Kafka broker: one per test JVM, started lazily in a temp
 * directory and kept up (across test classes and resource restarts) until the JVM exits, when it
 * is stopped and its directory deleted. Sets {@code kafka.bootstrap.servers}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker lives until JVM exit so that later test classes reuse it.
    }

    /** Bootstrap servers of the JVM's test broker (starting it if needed), e.g. for a test's own clients. */
    public static String bootstrapServers() {
        return SystemClassLoader.invokeStatic(SharedKafka.class, "bootstrapServers", new Class<?>[0]);
    }
}

package io.notify.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void producesConsumesAndKeepsDataAcrossRestart() {
        Path dataDir = tmp.resolve("kafka");
        int port;
        String value = "hello-" + System.nanoTime();
        long t0 = System.nanoTime();
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0)) {
            System.out.printf("Kafka first start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            port = broker.port();
            broker.createTopics("events");
            KafkaTestClients.produce(broker.bootstrapServers(), "events", "k", value);
            assertEquals(value, KafkaTestClients.consumeFirst(broker.bootstrapServers(), "events", "g1"));
            t0 = System.nanoTime();
        }
        System.out.printf("Kafka close: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        t0 = System.nanoTime();
        try (KafkaBroker broker = KafkaBroker.start(dataDir, port)) {
            System.out.printf("Kafka restart: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(port, broker.port());
            assertEquals(value, KafkaTestClients.consumeFirst(broker.bootstrapServers(), "events", "g2"));
        }
    }
}

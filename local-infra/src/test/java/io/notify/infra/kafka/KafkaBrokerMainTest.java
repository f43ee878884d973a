package io.notify.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.notify.infra.process.Classpaths;
import io.notify.infra.process.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerMainTest {

    @TempDir
    Path tmp;

    @Test
    void childBrokerSurvivesKillMinusNineWithItsData() throws Exception {
        Path dataDir = tmp.resolve("kafka");
        Path log = tmp.resolve("kafka.log");
        String value = "v-" + System.nanoTime();
        int port;

        long t0 = System.nanoTime();
        try (ManagedProcess broker = startBroker(dataDir, 0, log)) {
            System.out.printf("Kafka child process ready: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            String bootstrap = broker.readyLine().substring(KafkaBrokerMain.READY_PREFIX.length()).trim();
            port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            KafkaTestClients.produce(bootstrap, "orders", "k", value);
            assertEquals(value, KafkaTestClients.consumeFirst(bootstrap, "orders", "g1"));

            broker.kill();
            assertFalse(broker.isAlive());
        }

        t0 = System.nanoTime();
        try (ManagedProcess broker = startBroker(dataDir, port, log)) {
            System.out.printf("Kafka child process ready after kill -9: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(KafkaBrokerMain.READY_PREFIX + "127.0.0.1:" + port, broker.readyLine());
            assertEquals(value, KafkaTestClients.consumeFirst("127.0.0.1:" + port, "orders", "g2"));
            long pid = broker.pid();
            broker.stop(Duration.ofSeconds(20));
            assertTrue(ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive());
        }
        long readyLines = Files.readAllLines(log).stream().filter(l -> l.startsWith(KafkaBrokerMain.READY_PREFIX)).count();
        assertEquals(2, readyLines, "one READY line per start");
    }

    private static ManagedProcess startBroker(Path dataDir, int port, Path log) {
        return ManagedProcess.start("kafka", KafkaBrokerMain.command(Classpaths.current(), dataDir, port), null, log,
                line -> line.startsWith(KafkaBrokerMain.READY_PREFIX), Duration.ofSeconds(60));
    }
}

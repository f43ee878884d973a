package io.notify.notification.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Audience;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * {@code notify.send.min-batch-interval}: sends that arrive while the last batch is fresher than the
 * interval wait for the next batch and share it (one transaction, one flush), instead of each starting
 * a batch of its own. A writer of its own here, with a 1 s interval, so the wait is unmistakable.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SendBatchIntervalTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @Inject
    NotificationWriter notifications;

    @Inject
    AgroalDataSource database;

    @Inject
    SendMetrics metrics;

    @Test
    void sendsCloseBehindABatch_waitForTheIntervalToEnd_andAreStoredInOneTransaction() throws Exception {
        SendBatcher batcher = new SendBatcher(notifications, config(INTERVAL), database, metrics);
        batcher.start(null);
        try {
            long start = System.nanoTime();
            NotificationWriter.Sent first = batcher.submit(request("first"), "test", "test").get(10, TimeUnit.SECONDS);

            // the writer is idle again, but its last batch started less than the interval ago
            CompletableFuture<NotificationWriter.Sent> second = batcher.submit(request("second"), "test", "test");
            CompletableFuture<NotificationWriter.Sent> third = batcher.submit(request("third"), "test", "test");
            NotificationWriter.Sent secondSent = second.get(10, TimeUnit.SECONDS);
            NotificationWriter.Sent thirdSent = third.get(10, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;

            assertThat(Duration.ofNanos(elapsed)).as("the second batch started one interval after the first, not at once")
                    .isGreaterThanOrEqualTo(INTERVAL);
            assertThat(transactionOf(secondSent)).as("the two sends that waited share one batch")
                    .isEqualTo(transactionOf(thirdSent)).isNotEqualTo(transactionOf(first));
            assertThat(List.of(first, secondSent, thirdSent)).allSatisfy(s -> assertThat(s.created()).isTrue());
        } finally {
            batcher.stop(null);
        }
    }

    /** The id of the transaction that inserted the notification. */
    private String transactionOf(NotificationWriter.Sent sent) throws Exception {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT xmin::text FROM notifications WHERE id = ?")) {
            s.setObject(1, sent.notification().id());
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("stored").isTrue();
                return rs.getString(1);
            }
        }
    }

    private static NotificationRequest request(String title) {
        return new NotificationRequest(new Audience("users", List.of(UUID.randomUUID().toString()), null, null), title,
                "Batched", null, null, null, null, null, null, null, null, null);
    }

    private static SendConfig config(Duration minBatchInterval) {
        return new SendConfig() {
            @Override
            public URI directoryUrl() {
                return URI.create("http://127.0.0.1:1/unused");
            }


            @Override
            public int batchSize() {
                return 256;
            }

            @Override
            public Duration minBatchInterval() {
                return minBatchInterval;
            }

            @Override
            public int queueCapacity() {
                return 100;
            }

            @Override
            public Duration deferredPollInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration scheduledPollInterval() {
                return Duration.ofMillis(250);
            }
        };
    }
}

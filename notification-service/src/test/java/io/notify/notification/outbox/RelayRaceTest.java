package io.notify.notification.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.KafkaRecords;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;

/**
 * Several notification-service instances, each with its relay, and no fault at all: every outbox entry reaches Kafka
 * exactly once. Three more relays (as three more instances would run them) drain the same outbox as fast as they can
 * while entries are written under the sequence lock, as the send path writes them; the application's own relay joins
 * at its poll. Each entry's record is counted on its topic.
 *
 * <p>The relay used to take the relay lock in the statement that also read the entries. Under READ COMMITTED that
 * statement's snapshot is taken before the lock is tried: when the holder committed its delete and let go in between,
 * the next relay got the lock and still saw the deleted entries, and published them a second time.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class RelayRaceTest {

    @Inject
    AgroalDataSource database;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    OutboxConfig config;
    @Inject
    OutboxMetrics metrics;
    @Inject
    Tracer tracer;
    @Inject
    io.quarkus.scheduler.Scheduler scheduler;

    @Test
    void relaysOfSeveralInstancesDrainingOneOutbox_publishEveryEntryOnce() throws Exception {
        String topic = "relay-race-" + UUID.randomUUID();
        int transactions = 800;
        int perTransaction = 5;
        List<OutboxRelay> relays = List.of(relay(), relay(), relay());
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> drains = relays.stream().map(relay -> {
            // as each instance's own writes would, over and over: the relay's worker drains, a request queued behind
            // it at most (a relay never drains on two threads)
            Thread drain = new Thread(() -> {
                while (writing.get() || rows(topic) > 0) {
                    relay.requestDrain();
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                }
            });
            drain.start();
            return drain;
        }).toList();
        try {
            for (int t = 0; t < transactions; t++) {
                write(topic, t * perTransaction, perTransaction);
            }
            writing.set(false);
            for (Thread drain : drains) {
                drain.join(Duration.ofSeconds(60).toMillis());
                assertThat(drain.isAlive()).as("a relay still draining after a minute").isFalse();
            }
        } finally {
            writing.set(false);
            for (OutboxRelay relay : relays) {
                relay.onStop(null);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(topic) == 0);

        Map<String, Long> published = KafkaRecords.readToEnd(topic, r -> true).stream()
                .collect(Collectors.groupingBy(r -> new String(r.value()), Collectors.counting()));
        assertThat(published).as("every entry published").hasSize(transactions * perTransaction);
        assertThat(published.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("entries published more than once").isEmpty();
    }

    /**
     * The relay's read itself, without Kafka in between, so that holders change hands thousands of times a second: three
     * transactions in tight loops each take the lock, read, delete what they read and commit. No entry may be read by
     * two of them. (With the lock tried inside the read's statement, 30 of 3,385 entries were read twice.)
     *
     * <p>This instance's own relay is a fourth holder: its poll is paused, but a retry it scheduled earlier, or a write
     * of a test before, would still start a drain, so the test starts some itself. What it takes goes to Kafka, so the entries published there count as
     * read by it. The holders stop once the topic's entries are gone (or after a minute), never later: left running,
     * they would take every later test's entries.
     */
    @Test
    void theLockAndTheRead_takenInTightLoopsByThreeTransactions_neverHandOneEntryToTwoHolders() throws Exception {
        String topic = "relay-read-" + UUID.randomUUID();
        int entries = 3000;
        for (int t = 0; t < entries / 100; t++) {
            write(topic, t * 100, 100);
        }
        Map<String, Integer> read = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> holders = new java.util.ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        scheduler.pause(OutboxRelay.POLL);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int h = 0; h < 3; h++) {
            Thread holder = new Thread(() -> {
                try (Connection c = database.getConnection()) {
                    c.setAutoCommit(false);
                    while (!stop.get()) {
                        OutboxRelay.Batch read5 = OutboxRelay.lockAndRead(c, 0, 0, 5);
                        List<OutboxRelay.Entry> batch = read5 == null ? null : read5.events();
                        if (batch != null && !batch.isEmpty()) {
                            for (OutboxRelay.Entry e : batch) {
                                if (topic.equals(e.topic())) {
                                    read.merge(e.payload(), 1, Integer::sum);
                                }
                            }
                            try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ANY(?)")) {
                                delete.setArray(1, c.createArrayOf("bigint", batch.stream().map(OutboxRelay.Entry::id).toArray()));
                                delete.executeUpdate();
                            }
                        }
                        c.commit();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            holder.setDaemon(true);
            holder.start();
            holders.add(holder);
        }
        try {
            // and this instance's relay joins in, as a retry of it would
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                relay.requestDrain();
                return rows(topic) == 0 || !failures.isEmpty();
            });
        } finally {
            stop.set(true);
            for (Thread holder : holders) {
                holder.join(Duration.ofSeconds(10).toMillis());
            }
            scheduler.resume(OutboxRelay.POLL);
        }
        assertThat(failures).isEmpty();
        assertThat(holders).as("holders still reading once told to stop").noneMatch(Thread::isAlive);
        // what this instance's relay took
        KafkaRecords.readToEnd(topic, r -> true).forEach(r -> read.merge(new String(r.value()), 1, Integer::sum));
        assertThat(read.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("entries read by two holders of the lock (of %d read)", read.size()).isEmpty();
        assertThat(read).as("every entry read").hasSize(entries);
    }

    @Inject
    io.notify.notification.delivery.EngagementOutbox engagement;
    @Inject
    OutboxRelay relay;

    /**
     * Engagement events are written without the sequence lock, so their ids do not follow commit order. One committed
     * while a send batch holding a lower id is still open must not move the relay past that batch: its events go out
     * as soon as it commits, not at the next sweep (the poll is paused here, so there is none). Before they had a table
     * of their own, such a batch's events reached the gateways up to a second late and out of seq order (the gateway
     * bench's end-to-end client counted them).
     */
    @Test
    void anEngagementEventCommittedAheadOfAnOpenSendBatch_doesNotHoldBackThatBatchsEvents() throws Exception {
        String topic = "relay-order-" + UUID.randomUUID();
        UUID notification = UUID.randomUUID();
        scheduler.pause(OutboxRelay.POLL);
        try (Connection sendBatch = database.getConnection()) {
            // a send batch: the sequence lock, its event's outbox entry, not committed yet
            sendBatch.setAutoCommit(false);
            lockSequence(sendBatch);
            try (PreparedStatement insert = sendBatch.prepareStatement(
                    "INSERT INTO outbox (topic, record_key, payload) VALUES (?, 'k', 'held back')")) {
                insert.setString(1, topic);
                insert.executeUpdate();
            }
            // meanwhile a receipt commits its delivered event (no sequence lock), and the relay runs after that commit
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> engagement.publish(
                    io.notify.notification.delivery.EngagementEvent.Kind.DELIVERED,
                    List.of(io.notify.notification.delivery.EngagementEvent.of(
                            io.notify.notification.delivery.EngagementEvent.Kind.DELIVERED, notification, "u-order",
                            "company_order", SequencedOutbox.now()))));
            KafkaRecords.awaitRecord(io.notify.notification.delivery.EngagementEvent.TOPIC,
                    r -> new String(r.value()).contains(notification.toString()));
            sendBatch.commit();
            relay.requestDrain(); // as the batch's own commit would
            await().atMost(Duration.ofSeconds(5)).until(() -> rows(topic) == 0);
        } finally {
            scheduler.resume(OutboxRelay.POLL);
        }
        assertThat(KafkaRecords.readToEnd(topic, r -> true)).as("the batch's event, relayed once").hasSize(1);
    }

    /**
     * A relay as another instance runs it, one entry a cycle: a cycle per entry gives the relays as many chances to
     * take the lock from one another as there are entries.
     */
    private OutboxRelay relay() {
        OutboxConfig oneAtATime = new OutboxConfig() {
            @Override
            public Duration pollInterval() {
                return config.pollInterval();
            }

            @Override
            public int batchSize() {
                return 1;
            }
        };
        return new OutboxRelay(kafkaConfig, database, oneAtATime, metrics, tracer);
    }

    /** Takes the sequence lock in {@code c}'s transaction, as a send batch does before writing its outbox entries. */
    private static void lockSequence(Connection c) throws java.sql.SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, SequencedOutbox.SEQUENCE_LOCK);
            lock.execute();
        }
    }

    /** {@code n} entries in one transaction, under the sequence lock (outbox ids in commit order, as sends write them). */
    private void write(String topic, int first, int n) throws Exception {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            lockSequence(c);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO outbox (topic, record_key, payload) VALUES (?, 'race', ?)")) {
                for (int i = first; i < first + n; i++) {
                    insert.setString(1, topic);
                    insert.setString(2, "entry-" + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    private long rows(String topic) {
        return query("SELECT count(*) FROM outbox WHERE topic = ?", topic, rs -> {
            try {
                rs.next();
                return rs.getLong(1);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private <T> T query(String sql, String value, Function<ResultSet, T> read) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            try (ResultSet rs = s.executeQuery()) {
                return read.apply(rs);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.notify.notification.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.notify.notification.config.OutboxConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Relays outbox entries to Kafka in the order they were written. An entry is deleted only after
 * Kafka acknowledged it, in the same transaction that read it, so a crash at any point re-sends
 * (at-least-once; consumers dedupe by event id / seq) and never loses. A transaction-scoped
 * advisory lock keeps a single relay active across service instances, which preserves order.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Fired inside a transaction that wrote outbox entries. */
    public record Written() {
    }

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Held (transaction-scoped) by whichever instance's relay is relaying. */
    public static final long RELAY_LOCK = 0x6e6f74696679L; // "notify"
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<String> events;
    private final AgroalDataSource database;
    private final OutboxConfig config;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
    private final AtomicBoolean pending = new AtomicBoolean();

    public OutboxRelay(@Channel("notification-events") MutinyEmitter<String> events, AgroalDataSource database,
            OutboxConfig config) {
        this.events = events;
        this.database = database;
        this.config = config;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Written written) {
        requestDrain();
    }

    /** Catches up after a crash or a Kafka outage. */
    @Scheduled(every = "${notify.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        requestDrain();
    }

    /** Coalesces requests: at most one drain queued behind the running one. */
    public void requestDrain() {
        if (worker.isShutdown()) {
            return; // stopping: the next start relays what is left
        }
        if (pending.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    pending.set(false);
                    drain();
                });
            } catch (RejectedExecutionException e) {
                pending.set(false); // shut down between the check and here: the next start relays what is left
            }
        }
    }

    /**
     * A plain JDBC transaction, not a JTA one: the Kafka acks complete on the producer's threads, and
     * context propagation carried a JTA transaction there, so Narayana saw it active on two threads at
     * commit and rolled it back (the relay then paused and re-sent its batch, and the pool replaced
     * the connection), which under load happened many times a minute.
     */
    void drain() {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            int relayed;
            do {
                try {
                    relayed = relayBatch(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } while (relayed == config.batchSize());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Outbox relay paused, will retry: %s", e.toString());
        }
    }

    /** One entry of the outbox, as read by the relay. */
    private record Entry(long id, String topic, String key, String payload) {
    }

    /**
     * Plain JDBC: the relay runs after every committed send batch, and loading the entries as
     * entities (then deleting them through the persistence context) cost more than sending them.
     * The lock and the read are one statement: the CTE runs once, before the read, and there are no
     * rows when another relay holds the lock. The same CTE lets this transaction (only its delete)
     * commit without waiting for its WAL flush: lost in a crash, the entries are simply relayed again
     * (at-least-once, as ever), and the relay's next cycle, with the events waiting for it, no longer
     * waits for a disk flush.
     */
    private int relayBatch(Connection c) throws SQLException {
        List<Entry> batch = new ArrayList<>(config.batchSize());
        try (PreparedStatement oldest = c.prepareStatement("""
                WITH relay AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(?) AS held,
                                                   set_config('synchronous_commit', 'off', true))
                SELECT o.id, o.topic, o.record_key, o.payload FROM outbox o, relay
                 WHERE relay.held ORDER BY o.id LIMIT ?""")) {
            oldest.setLong(1, RELAY_LOCK);
            oldest.setInt(2, config.batchSize());
            try (ResultSet rs = oldest.executeQuery()) {
                while (rs.next()) {
                    batch.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        List<Uni<Void>> acks = batch.stream().map(this::send).toList();
        Uni.join().all(acks).andFailFast().await().atMost(SEND_TIMEOUT);
        // exact ids: a transaction that commits late may hold a lower id that this batch did not see
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ANY(?)")) {
            delete.setArray(1, c.createArrayOf("bigint", batch.stream().map(Entry::id).toArray()));
            delete.executeUpdate();
        }
        return batch.size();
    }

    private Uni<Void> send(Entry entry) {
        Message<String> message = Message.of(entry.payload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder()
                        .withTopic(entry.topic())
                        .withKey(entry.key())
                        .build());
        return events.sendMessage(message);
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdown();
    }
}

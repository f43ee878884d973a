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
    /** Set by the poll: the next drain reads from the start of the outbox, not from {@link #relayedUpTo}. */
    private final AtomicBoolean sweep = new AtomicBoolean(true);
    /** The highest id this relay deleted; only the worker thread uses it. */
    private long relayedUpTo;

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
        sweep.set(true);
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
        if (sweep.getAndSet(false)) {
            relayedUpTo = 0;
        }
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            List<Entry> relayed;
            do {
                try {
                    relayed = relayBatch(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
                if (!relayed.isEmpty()) {
                    relayedUpTo = relayed.get(relayed.size() - 1).id();
                }
            } while (relayed.size() == config.batchSize());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Outbox relay paused, will retry: %s", e.toString());
        }
    }

    /** One entry of the outbox, as read by the relay. */
    private record Entry(long id, String topic, String key, String payload) {
    }

    /**
     * The batch's reads and delete, in one transaction. Three things keep a relay cycle cheap however
     * fast sends come: it reads from just above what it relayed last, so it never walks the entries it
     * deleted (dead until vacuum removes them) — outbox ids follow commit order, as every entry is
     * written under the sequence lock (see {@link io.notify.notification.service.EventLog#publish}); the
     * reads and the delete are planned with sequential scans off, so a plan cached while the outbox was
     * a page or two is never a scan of every page the entries since the last vacuum take; and the
     * delete commits without waiting for its WAL flush: lost in a crash, the entries are relayed again
     * (at-least-once, as ever; the poll's sweep from the start finds them). The lock is an init plan,
     * taken once before the scan: no rows when another instance's relay holds it. Plain JDBC: loading
     * the entries as entities cost more than sending them.
     */
    private List<Entry> relayBatch(Connection c) throws SQLException {
        List<Entry> batch = new ArrayList<>(config.batchSize());
        try (PreparedStatement oldest = c.prepareStatement("""
                SET LOCAL synchronous_commit = off;
                SET LOCAL enable_seqscan = off;
                SELECT o.id, o.topic, o.record_key, o.payload FROM outbox o
                 WHERE (SELECT pg_try_advisory_xact_lock(?)) AND o.id > ? ORDER BY o.id LIMIT ?""")) {
            oldest.setLong(1, RELAY_LOCK);
            oldest.setLong(2, relayedUpTo);
            oldest.setInt(3, config.batchSize());
            boolean rows = oldest.execute();
            while (!rows && oldest.getUpdateCount() != -1) { // past the two SETs' results
                rows = oldest.getMoreResults();
            }
            try (ResultSet rs = oldest.getResultSet()) {
                while (rs.next()) {
                    batch.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        if (batch.isEmpty()) {
            return batch;
        }
        List<Uni<Void>> acks = batch.stream().map(this::send).toList();
        Uni.join().all(acks).andFailFast().await().atMost(SEND_TIMEOUT);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ANY(?)")) {
            delete.setArray(1, c.createArrayOf("bigint", batch.stream().map(Entry::id).toArray()));
            delete.executeUpdate();
        }
        return batch;
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

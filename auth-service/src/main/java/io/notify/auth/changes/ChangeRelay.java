package io.notify.auth.changes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Relays the user-changes outbox to the topic {@code user-changes} in id order, keyed by the user's or service
 * account's id. An entry is deleted only after Kafka acknowledged it, in the transaction that read it: a crash re-sends
 * (at least once; consumers keep the latest state, so a repeat changes nothing) and never loses. A transaction-scoped
 * advisory lock keeps one relay at work across instances. Two changes of one user are serialized by the user's row
 * lock, so their entries' ids follow their commit order and their records keep it on the key's partition.
 */
@ApplicationScoped
public class ChangeRelay {

    public static final String TOPIC = "user-changes";
    /** Held (transaction-scoped) by whichever instance's relay is relaying. */
    static final long RELAY_LOCK = 0x7573657273L; // "users"
    static final int BATCH = 500;
    private static final long SEND_TIMEOUT_SECONDS = 25;
    private static final long LOCKED_RETRY_MILLIS = 50;
    private static final Logger LOG = Logger.getLogger(ChangeRelay.class);

    private final Map<String, Object> kafkaConfig;
    private final AgroalDataSource database;
    /** One drain at a time and at most one waiting behind it: more requests meanwhile are covered by that one. */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), r -> new Thread(r, "user-changes-relay"), new ThreadPoolExecutor.DiscardPolicy());
    /** Created on the worker thread at the first drain; only the worker uses it. */
    private Producer<String, String> producer;

    public ChangeRelay(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, AgroalDataSource database) {
        this.kafkaConfig = kafkaConfig;
        this.database = database;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) UserChanges.Written written) {
        requestDrain();
    }

    /** Catches up after a crash, a Kafka outage, or entries another instance left. */
    @Scheduled(identity = "user-changes-relay-poll", every = "${notify.auth.changes.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        requestDrain();
    }

    public void requestDrain() {
        worker.execute(this::drain); // discarded when one is waiting already, or when stopping (the next start relays)
    }

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
                if (relayed < 0) { // another instance's relay is at work; what this one committed may be newer than its read
                    retrySoon();
                    return;
                }
            } while (relayed == BATCH);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("The user-changes relay paused, will retry: %s", e.toString());
        }
    }

    private void retrySoon() {
        CompletableFuture.delayedExecutor(LOCKED_RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(this::requestDrain);
    }

    /**
     * The lock, then the entries, in two statements: under READ COMMITTED the read sees what was committed when it
     * started, which must be after the lock was taken (else it could see entries the last holder just deleted).
     * Returns how many entries went to Kafka, or -1 when another relay holds the lock.
     */
    private int relayBatch(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return -1;
                }
            }
        }
        List<Long> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        try (PreparedStatement read = c.prepareStatement(
                "SELECT id, record_key, payload FROM user_changes_outbox ORDER BY id LIMIT " + BATCH)) {
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    records.add(new ProducerRecord<>(TOPIC, rs.getString(2), rs.getString(3)));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        publish(records);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM user_changes_outbox WHERE id = ANY (?)")) {
            delete.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            delete.executeUpdate();
        }
        return ids.size();
    }

    private void publish(List<ProducerRecord<String, String>> records) {
        Producer<String, String> kafka = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        records.forEach(r -> acks.add(kafka.send(r)));
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the user changes: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing user changes", e);
        }
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(kafkaConfig);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "auth-service-user-changes");
            // Kafka away: a drain gives up within seconds (and holds the relay lock no longer), the poll tries again
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}

package io.notify.notification.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.notify.notification.DedicatedConnection;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Relays outbox entries to Kafka in the order they were written: the events' ({@code outbox}, written under the
 * sequence lock, so in commit order) and the engagement events' ({@link #ENGAGEMENT_TABLE}). An entry is deleted only after
 * Kafka acknowledged it, in the same transaction that read it, so a crash at any point re-sends
 * (at-least-once; consumers dedupe by event id / seq) and never loses; without a fault each entry is
 * published once, however many instances run. A transaction-scoped
 * advisory lock keeps a single relay active across service instances, which preserves order. A relay
 * that finds the lock taken tries again within milliseconds: the other instance's relay may have read
 * the outbox before this instance's entries were committed, and would not see them until its next cycle.
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
    /** The identity of the scheduled {@link #poll()}. */
    public static final String POLL = "outbox-relay-poll";
    /** The first retry after finding another instance's relay at work (about one of its cycles), doubled up to the last. */
    static final long FIRST_LOCK_RETRY_MILLIS = 2;
    static final long LAST_LOCK_RETRY_MILLIS = 128;

    /** Quarkus' {@code kafka.*} settings (bootstrap servers, request size): the base of the producer's. */
    private final Map<String, Object> kafkaConfig;
    private final OutboxConfig config;
    private final OutboxMetrics metrics;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "outbox-relay"));
    private final AtomicBoolean pending = new AtomicBoolean();
    /** Set by the poll: the next drain reads each outbox from its start, not from its watermark. */
    private final AtomicBoolean sweep = new AtomicBoolean(true);
    /**
     * The table of engagement events' entries ({@code delivery.EngagementOutbox}): written without the sequence lock,
     * so their ids do not follow commit order and must not move the events' watermark (V21).
     */
    public static final String ENGAGEMENT_TABLE = "engagement_outbox";
    /** The highest id this relay deleted from each table; only the worker thread uses them. */
    private long eventsUpTo;
    private long engagementUpTo;
    /** The wait before the next try while another instance's relay holds the lock; only the worker thread uses it. */
    private long lockRetryMillis = FIRST_LOCK_RETRY_MILLIS;
    /**
     * The relay's own connection, kept across cycles; only the worker thread uses it. Its deletes commit
     * without waiting for their WAL flush, it plans with sequential scans off and its statements once
     * (see {@link #relayBatch}).
     */
    private final DedicatedConnection connection;
    private Producer<String, String> producer;
    /** Set once the producer is up and knows the events topic's partitions ({@link #start}). */
    private volatile boolean started;

    /** Spans of the entries' publication (a no-op tracer when tracing is off). */
    private final Tracer tracer;

    public OutboxRelay(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, AgroalDataSource database,
            OutboxConfig config, OutboxMetrics metrics, Tracer tracer) {
        this.kafkaConfig = kafkaConfig;
        this.tracer = tracer;
        this.metrics = metrics;
        this.config = config;
        this.connection = new DedicatedConnection(database,
                "SET synchronous_commit = off; SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan");
    }

    /**
     * Starts the producer and the relay's connection as the service starts, on the relay's thread, rather than with
     * the first event, which otherwise waits for them: the producer's first broker connection, its idempotent
     * producer id and the events topic's partitions are round trips of their own (more with TLS to a remote broker).
     * A broker or database that cannot be reached yet only leaves it to the first event, as before. In the gateway
     * bench's cold path (broker on loopback) the first 10 s's frame p99 did not move measurably with it (native:
     * 78-123 ms before, 87-92 after, against a REST p99 of 25-43 ms): that tail lies elsewhere.
     */
    void start(@Observes StartupEvent event) {
        try {
            worker.execute(() -> {
                try {
                    producer().partitionsFor(SequencedOutbox.EVENTS_TOPIC);
                    connection.get();
                    started = true;
                } catch (SQLException | RuntimeException e) {
                    LOG.infof("Outbox relay: not started ahead of the first event (%s); it starts with it", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping already
        }
    }

    /** Whether the relay's producer is up and knows the events topic's partitions (for tests). */
    boolean started() {
        return started;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Written written) {
        requestDrain();
    }

    /** Catches up after a crash or a Kafka outage. */
    @Scheduled(identity = POLL, every = "${notify.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
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
            eventsUpTo = 0;
            engagementUpTo = 0;
        }
        try {
            Connection c = connection.get();
            Batch relayed;
            do {
                try {
                    relayed = relayBatch(c);
                    c.commit(); // a no-op after a delete (which committed); ends a read that found nothing
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
                if (relayed == null) {
                    retryWhileLocked();
                    return;
                }
                lockRetryMillis = FIRST_LOCK_RETRY_MILLIS;
                eventsUpTo = lastId(relayed.events(), eventsUpTo);
                engagementUpTo = lastId(relayed.engagement(), engagementUpTo);
            } while (relayed.events().size() == config.batchSize() || relayed.engagement().size() == config.batchSize());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Outbox relay paused, will retry: %s", e.toString());
            connection.release(); // a fresh connection for the next try: this one may be broken (a database restart)
        }
    }

    private static long lastId(List<Entry> entries, long before) {
        return entries.isEmpty() ? before : entries.get(entries.size() - 1).id();
    }

    /**
     * Another instance's relay holds the lock: it relays what it read, which may not include what this
     * instance committed since. Try again soon, backing off while it stays busy (Kafka slow or down).
     */
    private void retryWhileLocked() {
        long delay = lockRetryMillis;
        lockRetryMillis = Math.min(2 * lockRetryMillis, LAST_LOCK_RETRY_MILLIS);
        try {
            worker.schedule(this::requestDrain, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: the next start relays what is left
        }
    }

    /**
     * The relay lock tried, then the entries read, in two statements sent in one round trip: the read must not start
     * before the lock is held. Under READ COMMITTED a statement sees what was committed when it started; in one
     * statement with the read, the lock was tried after that, so a relay that got the lock the moment another let go
     * still saw the entries the other had just published and deleted, and published them again (duplicates with no
     * fault at all, as soon as two instances ran; RelayRaceTest). The first statement's answer reaches the second
     * through a setting local to the transaction: no lock, no read. The events' outbox and the engagement events'
     * are read each from above its own watermark.
     */
    private static final String LOCK_AND_READ = """
            SELECT set_config('notify.relay_locked', pg_try_advisory_xact_lock(?)::text, true) = 'true';
            SELECT id, topic, record_key, payload, trace_context FROM outbox
             WHERE current_setting('notify.relay_locked') = 'true' AND id > ? ORDER BY id LIMIT ?;
            SELECT id, topic, record_key, payload, trace_context FROM %s
             WHERE current_setting('notify.relay_locked') = 'true' AND id > ? ORDER BY id LIMIT ?""".formatted(ENGAGEMENT_TABLE);

    /** One cycle's read: the events' outbox entries and the engagement outbox's, each in id order. */
    record Batch(List<Entry> events, List<Entry> engagement) {

        boolean isEmpty() {
            return events.isEmpty() && engagement.isEmpty();
        }

        List<Entry> all() {
            List<Entry> all = new ArrayList<>(events.size() + engagement.size());
            all.addAll(events);
            all.addAll(engagement);
            return all;
        }
    }

    /**
     * Tries the relay lock and, if this transaction holds it, reads the oldest entries of each outbox above its
     * watermark, in one round trip ({@link #LOCK_AND_READ}).
     *
     * @return at most {@code limit} entries of each in id order, or null when another transaction holds the lock
     */
    static Batch lockAndRead(Connection c, long eventsAfter, long engagementAfter, int limit) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(LOCK_AND_READ)) {
            read.setLong(1, RELAY_LOCK);
            read.setLong(2, eventsAfter);
            read.setInt(3, limit);
            read.setLong(4, engagementAfter);
            read.setInt(5, limit);
            read.execute();
            try (ResultSet lock = read.getResultSet()) {
                lock.next();
                if (!lock.getBoolean(1)) {
                    return null;
                }
            }
            List<Entry> events = entries(read, limit);
            return new Batch(events, entries(read, limit));
        }
    }

    /** The next result of {@code read}: entries. */
    private static List<Entry> entries(PreparedStatement read, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>(limit);
        read.getMoreResults();
        try (ResultSet rs = read.getResultSet()) {
            while (rs.next()) {
                entries.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return entries;
    }

    /** One entry of the outbox, as read by the relay; {@code traceparent} null when its send was not traced. */
    record Entry(long id, String topic, String key, String payload, String traceparent) {
    }

    /**
     * The batch's reads and delete, in one transaction of two round trips (the delete carries the commit).
     * Four things keep a relay cycle cheap however fast sends come: it reads from just above what it
     * relayed last, so it never walks the entries it deleted (dead until vacuum removes them) — the events'
     * outbox ids follow commit order, as its entries are written under the sequence lock (see
     * {@link SequencedOutbox#publish}); the engagement outbox's do not, so one of its entries committed after the
     * relay read past its id waits for the sweep ({@code delivery.EngagementOutbox}), and it has a watermark of its
     * own, so that it never moves the events' past a send batch not yet committed; the
     * relay's connection plans with sequential scans off, so a plan cached while the outbox was
     * a page or two is never a scan of every page the entries since the last vacuum take; its statements
     * are planned once (generic plans: planned again for each set of values, as PostgreSQL chose to, the
     * read's planning cost it about five times the read itself, the delete's more than the delete); and its
     * deletes commit without waiting for their WAL flush: lost in a crash, the entries are relayed again
     * (at-least-once, as ever; the poll's sweep from the start finds them). The lock is tried once, in
     * the same round trip, before the read ({@link #LOCK_AND_READ}). Plain JDBC:
     * loading the entries as entities cost more than sending them.
     *
     * @return the entries relayed (none: both outboxes are empty), or null when another instance's relay
     *         holds the lock
     */
    private Batch relayBatch(Connection c) throws SQLException {
        Batch batch = lockAndRead(c, eventsUpTo, engagementUpTo, config.batchSize());
        if (batch == null || batch.isEmpty()) {
            return batch;
        }
        List<Entry> all = batch.all();
        sendAll(all);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ANY(?); DELETE FROM "
                + ENGAGEMENT_TABLE + " WHERE id = ANY(?); COMMIT")) {
            delete.setArray(1, c.createArrayOf("bigint", batch.events().stream().map(Entry::id).toArray()));
            delete.setArray(2, c.createArrayOf("bigint", batch.engagement().stream().map(Entry::id).toArray()));
            delete.execute();
        }
        metrics.published(all.size());
        return batch;
    }

    /**
     * Hands the batch to the relay's Kafka producer straight from this thread and waits for every
     * ack. Through a messaging emitter, each send first went to the connector's sending thread: one more
     * thread hand-off between a commit and its event reaching Kafka.
     */
    private void sendAll(List<Entry> batch) {
        Producer<String, String> out = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (Entry entry : batch) {
            ProducerRecord<String, String> record = new ProducerRecord<>(entry.topic(), entry.key(), entry.payload());
            acks.add(entry.traceparent() == null ? out.send(record) : sendTraced(record, entry.traceparent()));
        }
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused an event: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge within " + SEND_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    /**
     * Continues the send's trace: a producer span under the stored context, ended when Kafka acknowledges, and the
     * record's {@code traceparent} header naming that span, which the gateways continue (one delivery span each).
     */
    private Future<RecordMetadata> sendTraced(ProducerRecord<String, String> record, String traceparent) {
        Span span = tracer.spanBuilder(record.topic() + " publish").setParent(TraceParent.parent(traceparent))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "publish")
                .setAttribute("messaging.destination.name", record.topic())
                .startSpan();
        String published = TraceParent.of(span.getSpanContext());
        if (published != null) {
            record.headers().add(TraceParent.HEADER, published.getBytes(StandardCharsets.US_ASCII));
        }
        return producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.toString());
            }
            span.end();
        });
    }

    /**
     * The relay's own producer, created on first use, only by the worker thread (a plain Kafka client: the relay is
     * its only user and waits for its acks itself; its serializers are passed as instances, so a native image needs
     * no reflection for them): every event acknowledged by all in-sync replicas, no duplicates from the producer's own
     * retries, sent at once.
     */
    private Producer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> settings = new HashMap<>(kafkaConfig);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // the relay hands over a whole outbox batch and then waits for its acks: lingering would only delay it
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        return settings;
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.shutdown();
        if (worker.awaitTermination(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            connection.release();
            if (producer != null) {
                producer.close(SEND_TIMEOUT);
            }
        }
    }
}

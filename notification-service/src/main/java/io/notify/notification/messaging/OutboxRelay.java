package io.notify.notification.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.notify.notification.config.OutboxConfig;
import io.notify.notification.persistence.OutboxEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

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
    private static final long RELAY_LOCK = 0x6e6f74696679L; // "notify"
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<String> events;
    private final EntityManager em;
    private final OutboxConfig config;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
    private final AtomicBoolean pending = new AtomicBoolean();

    public OutboxRelay(@Channel("notification-events") MutinyEmitter<String> events, EntityManager em,
            OutboxConfig config) {
        this.events = events;
        this.em = em;
        this.config = config;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Written written) {
        requestDrain();
    }

    /** Catches up after a crash or a Kafka outage. */
    @Scheduled(every = "${notify.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        requestDrain();
    }

    /** Coalesces requests: at most one drain queued behind the running one. */
    public void requestDrain() {
        if (worker.isShutdown()) {
            return; // stopping: the next start relays what is left
        }
        if (pending.compareAndSet(false, true)) {
            worker.execute(() -> {
                pending.set(false);
                drain();
            });
        }
    }

    void drain() {
        try {
            int relayed;
            do {
                relayed = QuarkusTransaction.requiringNew().call(this::relayBatch);
            } while (relayed == config.batchSize());
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay paused, will retry: %s", e.toString());
        }
    }

    private int relayBatch() {
        boolean leader = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(:lock)")
                .setParameter("lock", RELAY_LOCK).getSingleResult();
        if (!leader) {
            return 0;
        }
        List<OutboxEntry> batch = OutboxEntry.oldest(config.batchSize());
        if (batch.isEmpty()) {
            return 0;
        }
        List<Uni<Void>> acks = batch.stream().map(this::send).toList();
        Uni.join().all(acks).andFailFast().await().atMost(SEND_TIMEOUT);
        // exact ids: a transaction that commits late may hold a lower id that this batch did not see
        OutboxEntry.delete("id in ?1", batch.stream().map(e -> e.id).toList());
        return batch.size();
    }

    private Uni<Void> send(OutboxEntry entry) {
        Message<String> message = Message.of(entry.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder()
                        .withTopic(entry.topic)
                        .withKey(entry.recordKey)
                        .build());
        return events.sendMessage(message);
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdown();
    }
}

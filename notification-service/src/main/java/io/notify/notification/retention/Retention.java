package io.notify.notification.retention;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.jboss.logging.Logger;

import io.notify.notification.delivery.DeliveryConfig;
import io.notify.notification.inbox.InboxConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Deletes notifications and per-user events older than the retention period, in small batches, and
 * raises the retention horizon so that a resume from before it answers resync instead of a silent
 * gap (receipts and delivery counters are deleted with their notification; applied receipt batch
 * ids after {@code notify.delivery.batch-id-retention}). Expired notifications (already hidden) are deleted after a grace period without moving the
 * horizon: nothing a client could miss.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final int BATCH = 5_000;

    private final EntityManager em;
    private final InboxConfig config;
    private final DeliveryConfig delivery;

    public Retention(EntityManager em, InboxConfig config, DeliveryConfig delivery) {
        this.em = em;
        this.config = config;
        this.delivery = delivery;
    }

    @Scheduled(every = "${notify.inbox.cleanup-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            cleanUp();
        } catch (RuntimeException e) {
            LOG.warnf("Retention clean-up failed, will retry: %s", e.toString());
        }
    }

    /** Returns how many notifications were deleted. */
    public long cleanUp() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime cutoff = now.minus(config.retention());
        long deleted = 0;
        int n;
        do {
            n = QuarkusTransaction.requiringNew().call(() -> deleteBatch("""
                    DELETE FROM notifications WHERE id IN (
                      SELECT id FROM notifications WHERE created_at < :cutoff ORDER BY created_at LIMIT :batch)
                    RETURNING seq""", cutoff, true));
            deleted += n;
        } while (n == BATCH);
        do {
            n = QuarkusTransaction.requiringNew().call(() -> deleteBatch("""
                    DELETE FROM user_events WHERE seq IN (
                      SELECT seq FROM user_events WHERE created_at < :cutoff ORDER BY created_at LIMIT :batch)
                    RETURNING seq""", cutoff, true));
        } while (n == BATCH);
        OffsetDateTime expiredBefore = now.minus(config.expiredGrace());
        do {
            n = QuarkusTransaction.requiringNew().call(() -> deleteBatch("""
                    DELETE FROM notifications WHERE id IN (
                      SELECT id FROM notifications WHERE expires_at < :cutoff LIMIT :batch)
                    RETURNING seq""", expiredBefore, false));
            deleted += n;
        } while (n == BATCH);
        // receipt rows and counters go with their notification (ON DELETE CASCADE); applied receipt batch ids are
        // kept only as long as a batch may plausibly be delivered again
        OffsetDateTime batchesBefore = now.minus(delivery.batchIdRetention());
        do {
            n = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                    DELETE FROM receipt_batches WHERE batch_id IN (
                      SELECT batch_id FROM receipt_batches WHERE applied_at < :cutoff LIMIT :batch)""")
                    .setParameter("cutoff", batchesBefore).setParameter("batch", BATCH).executeUpdate());
        } while (n == BATCH);
        if (deleted > 0) {
            LOG.infof("Retention clean-up deleted %d notifications", deleted);
        }
        return deleted;
    }

    private int deleteBatch(String sql, OffsetDateTime cutoff, boolean raiseHorizon) {
        List<?> seqs = em.createNativeQuery(sql).setParameter("cutoff", cutoff).setParameter("batch", BATCH)
                .getResultList();
        if (raiseHorizon && !seqs.isEmpty()) {
            long max = seqs.stream().mapToLong(s -> ((Number) s).longValue()).max().orElseThrow();
            em.createNativeQuery("UPDATE retention_horizon SET seq = GREATEST(seq, :max) WHERE id = 1")
                    .setParameter("max", max).executeUpdate();
        }
        return seqs.size();
    }
}

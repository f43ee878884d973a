package io.notify.notification.inbox;

import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.notify.notification.Notification;
import io.notify.notification.NotificationView;
import io.notify.notification.PeriodicPoll;
import io.notify.notification.outbox.NotificationEvent;
import io.notify.notification.outbox.SequencedOutbox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Brings snoozed notifications back when their time comes: every {@code notify.inbox.snooze-poll-interval} (250 ms, a
 * {@link PeriodicPoll}) each instance claims the due marks ({@code FOR UPDATE SKIP LOCKED}) and, in one transaction, clears the snooze,
 * makes the notification unread for that user again (a {@code resurfaced} mark, which counts even under the user's
 * read watermark) and appends a per-user {@code resurfaced} event carrying the notification, which the gateways push
 * as a {@code notification} frame with {@code resurfaced: true}. The change and its event commit together, so a
 * restart loses no wake-up and repeats none, and an instance never wakes a mark another one holds.
 *
 * <p>
 * The sequence lock is taken before the marks are claimed: every inbox write takes it before its mark row, so the
 * other order could deadlock. It is taken only when something is due (a probe through the partial index first), so
 * an idle poller never holds up a send.
 */
@ApplicationScoped
public class SnoozeWakeUps {

    private static final Logger LOG = Logger.getLogger(SnoozeWakeUps.class);
    static final int BATCH = 100;

    private final EntityManager em;
    private final SequencedOutbox events;
    private final Vertx vertx;
    private final InboxConfig config;
    private PeriodicPoll poll;

    public SnoozeWakeUps(EntityManager em, SequencedOutbox events, Vertx vertx, InboxConfig config) {
        this.em = em;
        this.events = events;
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        poll = PeriodicPoll.start(vertx, config.snoozePollInterval(), this::wakeAllDue);
    }

    void stop(@Observes ShutdownEvent event) {
        poll.stop();
    }

    /** Wakes every due mark, a batch a transaction; a failure is logged and the next run tries again. */
    void wakeAllDue() {
        try {
            while (wakeDue() == BATCH) {
                // a full batch woken: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warnf("Waking snoozed notifications failed, will retry: %s", e.toString());
        }
    }

    /** One batch of due marks, in one transaction; answers how many were woken. */
    @Transactional
    @SuppressWarnings("unchecked")
    public int wakeDue() {
        if (em.createNativeQuery("SELECT 1 FROM inbox_marks WHERE snoozed_until <= now() LIMIT 1").getResultList()
                .isEmpty()) {
            return 0;
        }
        events.lockSequence();
        List<Object[]> due = em.createNativeQuery("""
                SELECT user_id, seq, notification_id, deleted FROM inbox_marks WHERE snoozed_until <= now()
                 ORDER BY snoozed_until LIMIT :batch FOR UPDATE SKIP LOCKED""")
                .setParameter("batch", BATCH).getResultList();
        for (Object[] mark : due) {
            String userId = (String) mark[0];
            long markSeq = ((Number) mark[1]).longValue();
            Notification n = Notification.findById((UUID) mark[2]);
            // deleted or expired meanwhile: nothing comes back
            boolean back = !Boolean.TRUE.equals(mark[3]) && n != null
                    && (n.expiresAt == null || n.expiresAt.isAfter(SequencedOutbox.now()));
            Long wakeSeq = back ? events.drawSeq() : null;
            // unseen again while the seen watermark is below the wake-up's seq (InboxQueries#unreadCounts)
            em.createNativeQuery("""
                    UPDATE inbox_marks SET snoozed_until = NULL, read = false, archived = false, resurfaced = true,
                           resurfaced_seq = :wake WHERE user_id = :user AND seq = :seq""")
                    .setParameter("wake", wakeSeq).setParameter("user", userId).setParameter("seq", markSeq).executeUpdate();
            if (back) {
                NotificationView view = NotificationView.of(n, List.of()).forReader(false);
                events.appendUserEvent(userId, NotificationEvent.resurfaced(userId, wakeSeq, SequencedOutbox.now(), view));
            }
        }
        return due.size();
    }
}

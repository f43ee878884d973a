package io.notify.notification.actions;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.notify.notification.Notification;
import io.notify.notification.NotificationView;
import io.notify.notification.SqlTimes;
import io.notify.notification.delivery.EngagementEvent;
import io.notify.notification.delivery.EngagementOutbox;
import io.notify.notification.identity.Caller;
import io.notify.notification.inbox.InboxService;
import io.notify.notification.outbox.NotificationEvent;
import io.notify.notification.outbox.SequencedOutbox;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

/**
 * Completing a notification's action: once per notification and reader (the first completion stands), told to the
 * reader's tabs and devices ({@code action_completed}, kept for resume) and to the producer (the {@code actioned}
 * engagement event), both in the transaction that records it.
 */
@ApplicationScoped
public class ActionService {

    private final InboxService inbox;
    private final SequencedOutbox events;
    private final EngagementOutbox engagement;
    private final EntityManager em;
    private final Webhooks webhooks;

    public ActionService(InboxService inbox, SequencedOutbox events, EngagementOutbox engagement, EntityManager em,
            Webhooks webhooks) {
        this.webhooks = webhooks;
        this.inbox = inbox;
        this.events = events;
        this.engagement = engagement;
        this.em = em;
    }

    /**
     * Completes {@code actionId} of notification {@code id} for the reader. Answers the completion: this one, or the
     * same action's earlier one (a repeat changes nothing and tells nobody). 404 problem when the notification is not
     * in the reader's inbox or has no such action; 409 problem when the reader completed another action of it.
     */
    @Transactional
    public ActionCompletion complete(Caller reader, UUID id, String actionId) {
        Notification n = inbox.inInbox(reader, id);
        if (Action.named(n.actions, actionId) == null) {
            throw HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found")
                    .withDetail("Notification " + id + " has no action " + actionId).with("action_id", actionId).build();
        }
        OffsetDateTime now = SequencedOutbox.now();
        // the row first, without the sequence lock: a concurrent completion of the same notification by the same
        // user waits on the key here, then finds this one
        List<?> inserted = em.createNativeQuery("""
                INSERT INTO action_completions (notification_id, user_id, action_id, completed_at)
                VALUES (:id, :user, :action, :at) ON CONFLICT (notification_id, user_id) DO NOTHING RETURNING 1""")
                .setParameter("id", id).setParameter("user", reader.userId()).setParameter("action", actionId)
                .setParameter("at", now).getResultList();
        if (inserted.isEmpty()) {
            ActionCompletion earlier = completions(reader.userId(), List.of(id)).get(id);
            if (!earlier.actionId().equals(actionId)) {
                throw HttpProblem.builder().withStatus(Response.Status.CONFLICT).withTitle("Already completed")
                        .withDetail("You completed action " + earlier.actionId() + " of notification " + id
                                + " already; " + actionId + " cannot be completed too")
                        .with("action_id", earlier.actionId()).with("completed_at", earlier.completedAt().toString())
                        .build();
            }
            return earlier;
        }
        EngagementEvent actioned = EngagementEvent.actioned(id, reader.userId(), reader.company(), now, actionId, n.sender,
                n.senderId);
        engagement.publish(EngagementEvent.Kind.ACTIONED, List.of(actioned));
        webhooks.queue(n.senderId, actioned);
        long seq = events.nextSeq();
        events.appendUserEvent(reader.userId(), NotificationEvent.actionCompleted(reader.userId(), seq, now, id, actionId));
        return new ActionCompletion(actionId, now);
    }

    /** The views as the reader sees them: with the action they completed, for those that have actions. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<NotificationView> withCompletions(String userId, List<NotificationView> views) {
        List<UUID> withActions = views.stream().filter(v -> v.actions() != null && !v.actions().isEmpty())
                .map(NotificationView::id).toList();
        if (withActions.isEmpty()) {
            return views; // most notifications: no query
        }
        Map<UUID, ActionCompletion> completed = completions(userId, withActions);
        if (completed.isEmpty()) {
            return views;
        }
        return views.stream().map(v -> completed.containsKey(v.id()) ? v.withCompletedAction(completed.get(v.id())) : v)
                .toList();
    }

    private Map<UUID, ActionCompletion> completions(String userId, List<UUID> ids) {
        Map<UUID, ActionCompletion> completed = new HashMap<>();
        for (Object row : em.createNativeQuery("""
                SELECT notification_id, action_id, completed_at FROM action_completions
                 WHERE user_id = :user AND notification_id IN (:ids)""")
                .setParameter("user", userId).setParameter("ids", ids).getResultList()) {
            Object[] cols = (Object[]) row;
            completed.put((UUID) cols[0], new ActionCompletion((String) cols[1], SqlTimes.utc(cols[2])));
        }
        return completed;
    }
}

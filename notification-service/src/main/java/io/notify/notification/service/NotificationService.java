package io.notify.notification.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.notify.notification.event.Audience;
import io.notify.notification.event.NotificationEvent;
import io.notify.notification.event.NotificationRequest;
import io.notify.notification.event.NotificationView;
import io.notify.notification.persistence.Notification;
import io.notify.notification.persistence.NotificationRecipient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Storing sends: one row per notification whatever its audience, plus explicit recipients for user
 * lists. Callers go through {@link SendBatcher}, which groups concurrent sends into one transaction.
 */
@ApplicationScoped
public class NotificationService {

    private final EventLog events;

    public NotificationService(EventLog events) {
        this.events = events;
    }

    /** The outcome of a send: {@code created} is false when the idempotency key was seen before. */
    public record Sent(NotificationView notification, boolean created) {
    }

    /**
     * Stores a batch of validated, authorized sends in the caller's transaction ({@link SendBatcher}
     * runs one per batch), each with its {@code created} event in the outbox; the results are in the
     * batch's order. The sequence lock is taken once, so seqs follow the batch's order and commit order.
     */
    List<Sent> store(List<SendBatcher.Pending> batch) {
        events.lockSequence();
        List<Sent> sent = new ArrayList<>(batch.size());
        for (SendBatcher.Pending p : batch) {
            sent.add(store(p.request(), p.sender(), p.idempotencyScope()));
        }
        return sent;
    }

    /**
     * A request whose idempotency key this sender used before returns the stored notification
     * (found also when it came earlier in the same batch: the query flushes the batch's inserts first).
     * Keys are scoped to {@code idempotencyScope} (the sending user or account, or the Kafka intake):
     * another tenant reusing a key must get its own notification, never ours.
     */
    private Sent store(NotificationRequest request, String sender, String idempotencyScope) {
        if (request.idempotencyKey() != null) {
            Optional<Notification> existing = Notification.findByIdempotencyKey(idempotencyScope,
                    request.idempotencyKey());
            if (existing.isPresent()) {
                return new Sent(view(existing.get(), List.of()).forReader(null), false);
            }
        }
        long seq = events.drawSeq();
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.seq = seq;
        n.audienceType = request.audience().type();
        n.audienceCompany = request.audience().company();
        n.audienceRole = request.audience().role();
        n.title = request.title();
        n.message = request.message();
        n.type = request.typeOrDefault();
        n.priority = request.priorityOrDefault();
        n.data = request.data() == null ? Map.of() : request.data();
        n.link = request.link();
        n.sender = sender;
        n.createdAt = EventLog.now();
        n.expiresAt = request.expiresAt();
        n.idempotencyKey = request.idempotencyKey();
        n.idempotencyScope = request.idempotencyKey() == null ? null : idempotencyScope;
        n.persist();

        List<String> userIds = request.audience().userIds() == null ? List.of()
                : request.audience().userIds().stream().distinct().toList();
        for (String userId : userIds) {
            NotificationRecipient r = new NotificationRecipient();
            r.userId = userId;
            r.seq = seq;
            r.notificationId = n.id;
            r.persist();
        }
        NotificationView full = view(n, userIds);
        events.publish(NotificationEvent.created(full));
        return new Sent(full.forReader(null), true);
    }

    static NotificationView view(Notification n, List<String> userIds) {
        Audience audience = new Audience(n.audienceType, userIds.isEmpty() ? null : userIds, n.audienceCompany,
                n.audienceRole);
        return new NotificationView(n.id, n.seq, audience, n.title, n.message, n.type, n.priority, n.data, n.link,
                n.sender, n.createdAt, n.expiresAt, null);
    }
}

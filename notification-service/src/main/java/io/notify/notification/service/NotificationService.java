package io.notify.notification.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.notification.event.Audience;
import io.notify.notification.event.NotificationEvent;
import io.notify.notification.event.NotificationRequest;
import io.notify.notification.event.NotificationView;
import io.notify.notification.messaging.OutboxRelay;
import io.notify.notification.persistence.Inbox;
import io.notify.notification.persistence.Notification;
import io.notify.notification.persistence.NotificationRecipient;
import io.notify.notification.persistence.OutboxEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class NotificationService {

    public static final String EVENTS_TOPIC = "notification-events";

    private final ObjectMapper json;
    private final Inbox inbox;
    private final Event<OutboxRelay.Written> outboxWritten;

    public NotificationService(ObjectMapper json, Inbox inbox, Event<OutboxRelay.Written> outboxWritten) {
        this.json = json;
        this.inbox = inbox;
        this.outboxWritten = outboxWritten;
    }

    /** The outcome of a send: {@code created} is false when the idempotency key was seen before. */
    public record Sent(NotificationView notification, boolean created) {
    }

    /**
     * Stores a validated request and, in the same transaction, its {@code created} event in the
     * outbox. A request whose idempotency key exists returns the stored notification unchanged.
     */
    @Transactional
    public Sent send(NotificationRequest request, String sender) {
        if (request.idempotencyKey() != null) {
            Optional<Notification> existing = Notification.findByIdempotencyKey(request.idempotencyKey());
            if (existing.isPresent()) {
                return new Sent(clientView(view(existing.get(), List.of())), false);
            }
        }
        Notification n = new Notification();
        n.id = UUID.randomUUID();
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
        // PostgreSQL keeps microseconds: answer with what a later read will return
        n.createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        n.expiresAt = request.expiresAt();
        n.idempotencyKey = request.idempotencyKey();
        n.persistAndFlush();

        List<String> userIds = request.audience().userIds() == null ? List.of()
                : request.audience().userIds().stream().distinct().toList();
        for (String userId : userIds) {
            NotificationRecipient r = new NotificationRecipient();
            r.userId = userId;
            r.seq = n.seq;
            r.notificationId = n.id;
            r.persist();
        }

        NotificationView full = view(n, userIds);
        NotificationEvent event = NotificationEvent.created(full);
        OutboxEntry.of(EVENTS_TOPIC, routingKey(full.audience()), toJson(event)).persist();
        outboxWritten.fire(new OutboxRelay.Written());
        return new Sent(clientView(full), true);
    }

    @Transactional
    public List<NotificationView> inbox(Reader reader, Long beforeSeq, int limit) {
        return inbox.page(reader, beforeSeq == null ? Long.MAX_VALUE : beforeSeq, limit).stream()
                .map(n -> clientView(view(n, List.of())))
                .toList();
    }

    private static NotificationView view(Notification n, List<String> userIds) {
        Audience audience = new Audience(n.audienceType, userIds.isEmpty() ? null : userIds, n.audienceCompany,
                n.audienceRole);
        return new NotificationView(n.id, n.seq, audience, n.title, n.message, n.type, n.priority, n.data, n.link,
                n.sender, n.createdAt, n.expiresAt);
    }

    /** What a reader sees: never the other recipients of a user list. */
    private static NotificationView clientView(NotificationView v) {
        Audience a = v.audience();
        Audience withoutRecipients = new Audience(a.type(), null, a.company(), a.role());
        return new NotificationView(v.id(), v.seq(), withoutRecipients, v.title(), v.message(), v.type(),
                v.priority(), v.data(), v.link(), v.sender(), v.createdAt(), v.expiresAt());
    }

    /** Kafka key: events for one addressee land on one partition and stay in order. */
    static String routingKey(Audience audience) {
        return switch (audience.type()) {
            case "user", "users" -> audience.userIds().get(0);
            case "company" -> audience.company();
            case "role" -> audience.company() != null ? audience.company() : "role:" + audience.role();
            default -> "everyone";
        };
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

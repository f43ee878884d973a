package io.notify.gateway.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.event.NotificationEvent;
import io.notify.gateway.websocket.ConnectionRegistry;
import io.notify.gateway.websocket.Frames;
import io.notify.gateway.websocket.MutedTypes;
import io.notify.gateway.websocket.Outbound;
import io.notify.gateway.websocket.SocketUser;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pushes each event to exactly the local sockets it addresses. The frame is serialized once per
 * event and the same string written to every socket.
 */
@ApplicationScoped
public class NotificationEventConsumer {

    private static final Logger LOG = Logger.getLogger(NotificationEventConsumer.class);

    private final ConnectionRegistry registry;
    private final MutedTypes mutedTypes;
    private final Frames frames;
    private final Outbound out;
    private final ObjectMapper json;

    public NotificationEventConsumer(ConnectionRegistry registry, MutedTypes mutedTypes, Frames frames, Outbound out,
            ObjectMapper json) {
        this.registry = registry;
        this.mutedTypes = mutedTypes;
        this.frames = frames;
        this.out = out;
        this.json = json;
    }

    @Incoming("notification-events")
    public void onEvent(String value) {
        NotificationEvent event;
        try {
            event = json.readValue(value, NotificationEvent.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Skipping an unreadable event: %s", e.getOriginalMessage());
            return;
        }
        if (event.kind() == null) {
            return;
        }
        if ("preferences_updated".equals(event.kind()) && event.user() != null) {
            mutedTypes.update(event.user(), event.preferences());
        }
        String frame = frames.forEvent(event);
        if (frame == null) {
            return;
        }
        boolean created = "created".equals(event.kind());
        String type = created ? event.notification().path("type").asText() : null;
        String priority = created ? event.notification().path("priority").asText() : null;
        registry.forEachAddressed(event.audience(), connection -> {
            SocketUser user = registry.user(connection);
            if (user == null || created && mutedTypes.mutes(user.userId(), type, priority)) {
                return; // switched off by this user (urgent always gets through)
            }
            out.deliver(connection, frame, event.occurredAt());
        });
    }
}

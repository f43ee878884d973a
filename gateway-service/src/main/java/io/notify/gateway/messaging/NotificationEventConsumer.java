package io.notify.gateway.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.event.NotificationEvent;
import io.notify.gateway.websocket.ConnectionRegistry;
import io.notify.gateway.websocket.Frames;
import io.notify.gateway.websocket.MutedTypes;
import io.notify.gateway.websocket.SocketUser;
import jakarta.enterprise.context.ApplicationScoped;

/** Pushes each event to exactly the local sockets it addresses. */
@ApplicationScoped
public class NotificationEventConsumer {

    private static final Logger LOG = Logger.getLogger(NotificationEventConsumer.class);

    private final ConnectionRegistry registry;
    private final MutedTypes mutedTypes;
    private final Frames frames;
    private final ObjectMapper json;

    public NotificationEventConsumer(ConnectionRegistry registry, MutedTypes mutedTypes, Frames frames,
            ObjectMapper json) {
        this.registry = registry;
        this.mutedTypes = mutedTypes;
        this.frames = frames;
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
        if ("preferences_updated".equals(event.kind()) && event.audience() != null
                && event.audience().userIds() != null && !event.audience().userIds().isEmpty()) {
            mutedTypes.update(event.audience().userIds().get(0), event.preferences());
            return;
        }
        if (!"created".equals(event.kind()) || event.notification() == null) {
            return;
        }
        String frame = frames.notification(event);
        String type = event.notification().path("type").asText();
        String priority = event.notification().path("priority").asText();
        registry.forEachAddressed(event.audience(), connection -> {
            SocketUser user = registry.user(connection);
            if (user == null || mutedTypes.mutes(user.userId(), type, priority)) {
                return; // switched off by this user (urgent always gets through)
            }
            connection.sendText(frame).subscribe().with(
                    ignored -> {
                    },
                    failure -> LOG.debugf("Dropped a frame for closed socket %s: %s", connection.id(), failure));
        });
    }
}

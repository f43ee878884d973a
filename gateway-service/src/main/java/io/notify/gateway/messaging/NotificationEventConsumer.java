package io.notify.gateway.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.event.NotificationEvent;
import io.notify.gateway.websocket.ConnectionRegistry;
import io.notify.gateway.websocket.Frames;
import jakarta.enterprise.context.ApplicationScoped;

/** Pushes each event to exactly the local sockets it addresses. */
@ApplicationScoped
public class NotificationEventConsumer {

    private static final Logger LOG = Logger.getLogger(NotificationEventConsumer.class);

    private final ConnectionRegistry registry;
    private final Frames frames;
    private final ObjectMapper json;

    public NotificationEventConsumer(ConnectionRegistry registry, Frames frames, ObjectMapper json) {
        this.registry = registry;
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
        if (!"created".equals(event.kind()) || event.notification() == null) {
            return;
        }
        String frame = frames.notification(event);
        registry.forEachAddressed(event.audience(), connection -> connection.sendText(frame).subscribe().with(
                ignored -> {
                },
                failure -> LOG.debugf("Dropped a frame for closed socket %s: %s", connection.id(), failure)));
    }
}

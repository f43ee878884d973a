package io.notify.gateway.routing;

import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.transport.EncodedFrame;
import io.notify.gateway.transport.FanOut;
import io.notify.gateway.transport.FrameTransport;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pushes each event to exactly the local sockets it addresses. Records arrive in batches (one
 * Kafka poll); each event's frame is serialized once, and the batch's writes are handed to the
 * event loops together, so a socket addressed by several events of a batch is flushed once.
 */
@ApplicationScoped
public class NotificationEventConsumer {

    private static final Logger LOG = Logger.getLogger(NotificationEventConsumer.class);

    private final ConnectionIndex registry;
    private final MutedTypes mutedTypes;
    private final EventFrameEncoder frames;
    private final FrameTransport transport;
    private final ObjectMapper json;

    public NotificationEventConsumer(ConnectionIndex registry, MutedTypes mutedTypes, EventFrameEncoder frames,
            FrameTransport transport,
            ObjectMapper json) {
        this.registry = registry;
        this.mutedTypes = mutedTypes;
        this.frames = frames;
        this.transport = transport;
        this.json = json;
    }

    /**
     * On the connector's event loop: routing only reads in-memory indexes and hands writes to the
     * sockets' event loops, and a worker thread per poll would cost two thread hand-offs per batch
     * (Quarkus runs a {@code void} method on a worker unless told otherwise).
     */
    @Incoming("notification-events")
    @NonBlocking
    public void onEvents(List<String> values) {
        FanOut batch = transport.fanOut();
        for (String value : values) {
            try {
                route(value, batch);
            } catch (RuntimeException e) {
                // one event this gateway cannot route must not cost the rest of the poll their delivery
                LOG.warnf(e, "Skipping an event that could not be routed");
            }
        }
        batch.send();
    }

    private void route(String value, FanOut batch) {
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
        String text = frames.forEvent(event);
        if (text == null) {
            return;
        }
        EncodedFrame frame = EncodedFrame.event(text, event.occurredAt(), event.pushedNotificationId());
        // a muted type is not pushed (urgent always gets through)
        Set<String> muting = mutedTypes.mutedBy(event);
        if (muting.isEmpty()) {
            registry.forEachAddressed(event.audience(), session -> batch.add(session, frame));
        } else {
            registry.forEachAddressed(event.audience(), session -> {
                if (!muting.contains(session.user().userId())) {
                    batch.add(session, frame);
                }
            });
        }
    }
}

package io.notify.gateway.routing;

import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.transport.EncodedFrame;
import io.notify.gateway.transport.FanOut;
import io.notify.gateway.transport.FrameTransport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pushes each event to exactly the local sockets it addresses. Records arrive in batches (one
 * Kafka poll); each event's frame is serialized once, and the batch's writes are handed to the
 * event loops together, so a socket addressed by several events of a batch is flushed once. With tracing
 * on, each event whose record carries a {@code traceparent} gets one delivery span on this gateway
 * ({@link DeliverySpans}), however many sockets it reaches.
 */
@ApplicationScoped
public class NotificationEventConsumer {

    private static final Logger LOG = Logger.getLogger(NotificationEventConsumer.class);

    private final ConnectionIndex registry;
    private final MutedTypes mutedTypes;
    private final QuietHours quietHours;
    private final EventFrameEncoder frames;
    private final FrameTransport transport;
    private final ObjectMapper json;
    /** Delivery spans only when tracing is on: otherwise the hot path reads no header and allocates nothing more. */
    private final boolean tracing;
    private final Tracer tracer;

    public NotificationEventConsumer(ConnectionIndex registry, MutedTypes mutedTypes, QuietHours quietHours, EventFrameEncoder frames,
            FrameTransport transport, ObjectMapper json,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean tracingDisabled,
            Tracer tracer) {
        this.tracing = !tracingDisabled;
        this.tracer = tracer;
        this.registry = registry;
        this.mutedTypes = mutedTypes;
        this.quietHours = quietHours;
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
    public void onEvents(ConsumerRecords<String, String> records) {
        FanOut batch = transport.fanOut();
        List<Span> spans = null;
        for (ConsumerRecord<String, String> record : records) {
            if (tracing) {
                spans = DeliverySpans.start(tracer, record, spans);
            }
            try {
                route(record.value(), batch);
            } catch (RuntimeException e) {
                // one event this gateway cannot route must not cost the rest of the poll their delivery
                LOG.warnf(e, "Skipping an event that could not be routed");
            }
        }
        batch.send();
        if (spans != null) {
            DeliverySpans.end(spans);
        }
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
        if ("subscription_changed".equals(event.kind()) && event.user() != null && event.subscription() != null) {
            NotificationEvent.Subscription s = event.subscription();
            mutedTypes.subscriptionChanged(event.user(), s.company(), s.topic(), s.subscribed(), event.seq());
        }
        String text = frames.forEvent(event);
        if (text == null) {
            return;
        }
        EncodedFrame frame = EncodedFrame.event(text, event.occurredAt(), event.pushedNotificationId());
        // a muted type is not pushed (urgent always gets through); in quiet hours it is pushed silent (urgent never)
        Set<String> muting = mutedTypes.mutedBy(event);
        Set<String> silent = quietHours.silentFor(event);
        if (muting.isEmpty() && silent.isEmpty()) {
            registry.forEachAddressed(event.audience(), event.seq(), session -> batch.add(session, frame));
        } else {
            EventFrames variants = new EventFrames(event, frames, frame, muting, silent);
            registry.forEachAddressed(event.audience(), event.seq(), session -> {
                EncodedFrame chosen = variants.forUser(session.user().userId());
                if (chosen != null) {
                    batch.add(session, chosen);
                }
            });
        }
    }
}

package io.notify.notification.delivery;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Receipts and engagement on {@code /q/metrics}: {@code notify_receipts_processed_total{outcome}} (a receipt record
 * {@code applied}, a {@code duplicate} of an applied batch, for an {@code unknown_notification}, or {@code invalid}
 * and dead-lettered) and {@code notify_engagement_events_total{kind}} (events written to the outbox).
 */
@Singleton
public class DeliveryMetrics {

    /** What became of a receipt record. */
    public enum Outcome {
        APPLIED, DUPLICATE, UNKNOWN_NOTIFICATION, INVALID
    }

    private final Map<Outcome, Counter> receipts = new EnumMap<>(Outcome.class);
    private final Map<EngagementEvent.Kind, Counter> events = new EnumMap<>(EngagementEvent.Kind.class);

    public DeliveryMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            receipts.put(outcome, Counter.builder("notify.receipts.processed")
                    .description("Receipt records from the gateways, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        for (EngagementEvent.Kind kind : EngagementEvent.Kind.values()) {
            events.put(kind, Counter.builder("notify.engagement.events")
                    .description("Engagement events written for notification-engagement, by kind")
                    .tag("kind", kind.wire).register(registry));
        }
    }

    public void receipt(Outcome outcome) {
        receipts.get(outcome).increment();
    }

    public void events(EngagementEvent.Kind kind, int count) {
        if (count > 0) {
            events.get(kind).increment(count);
        }
    }
}

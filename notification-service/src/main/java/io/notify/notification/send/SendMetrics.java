package io.notify.notification.send;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Sends on {@code /q/metrics}: {@code notify_sends_accepted_total{path}} and
 * {@code notify_sends_refused_total{path, reason}}, path {@code rest} or {@code kafka}. A singleton, not a client
 * proxy: every send counts here.
 */
@Singleton
public class SendMetrics {

    /** Where a send came in. */
    public enum Path {
        REST, KAFKA;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final MeterRegistry registry;
    private final Counter acceptedRest;
    private final Counter acceptedKafka;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    public SendMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.acceptedRest = accepted(Path.REST);
        this.acceptedKafka = accepted(Path.KAFKA);
    }

    private Counter accepted(Path path) {
        return Counter.builder("notify.sends.accepted").description("Sends stored (or found by their idempotency key)")
                .tag("path", path.tag).register(registry);
    }

    public void accepted(Path path, int count) {
        (path == Path.REST ? acceptedRest : acceptedKafka).increment(count);
    }

    /**
     * A send refused: {@code invalid}, {@code forbidden}, {@code rate_limited}, {@code busy} (the write queue is full),
     * {@code unavailable} (the directory could not answer) or {@code failed}.
     */
    public void refused(Path path, String reason) {
        refused.computeIfAbsent(path.tag + ' ' + reason, k -> Counter.builder("notify.sends.refused")
                .description("Sends not stored, by path and reason").tag("path", path.tag).tag("reason", reason)
                .register(registry)).increment();
    }
}

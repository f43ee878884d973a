package io.notify.notification.send;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

/**
 * Sends on {@code /q/metrics}: {@code notify_sends_accepted_total{path}} and
 * {@code notify_sends_refused_total{path, reason}}, path {@code rest}, {@code broadcast} (the broadcast endpoints) or
 * {@code kafka}; {@code notify_send_batch_size} (sends per group commit, see {@link SendBatcher}); the Kafka intake's
 * {@code notify_intake_lag_seconds} (a request record's age when consumed, from its timestamp) and
 * {@code notify_intake_dead_letters_total{reason}} (records dead-lettered, by {@link DeadLetterReason}). A singleton,
 * not a client proxy: every send counts here.
 */
@Singleton
public class SendMetrics {

    /** Where a send came in. */
    public enum Path {
        REST, BROADCAST, KAFKA;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Why an intake record was dead-lettered: a small, fixed set (the detail goes into the record's header). */
    public enum DeadLetterReason {
        /** No value, or JSON {@code null}. */
        EMPTY,
        /** Not a JSON object of the request's shape (unparseable, unknown or mistyped fields). */
        NOT_JSON,
        /** A {@code schema_version} this consumer does not read. */
        SCHEMA_VERSION,
        /** A well-formed request that breaks the send rules (the violations REST answers). */
        INVALID;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Why a send is refused (see {@link #refused}). */
    static final java.util.List<String> REFUSALS = java.util.List.of("invalid", "forbidden", "rate_limited", "busy",
            "unavailable", "failed");

    private final MeterRegistry registry;
    private final Counter[] accepted = new Counter[Path.values().length];
    private final Counter[] deadLetters = new Counter[DeadLetterReason.values().length];
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Timer intakeLag;

    public SendMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Path path : Path.values()) {
            accepted[path.ordinal()] = Counter.builder("notify.sends.accepted")
                    .description("Sends stored (or found by their idempotency key)").tag("path", path.tag)
                    .register(registry);
        }
        for (Path path : Path.values()) {
            REFUSALS.forEach(reason -> refusedCounter(path, reason)); // every series at 0 from the start
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters[reason.ordinal()] = Counter.builder("notify.intake.dead.letters")
                    .description("notification-requests records dead-lettered, by reason").tag("reason", reason.tag)
                    .register(registry);
        }
        this.batchSize = DistributionSummary.builder("notify.send.batch.size")
                .description("Sends stored per group commit")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
                .register(registry);
        this.intakeLag = Timer.builder("notify.intake.lag")
                .description("Age of a notification-requests record (from its timestamp) when consumed")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1),
                        Duration.ofSeconds(10), Duration.ofMinutes(1))
                .register(registry);
    }

    public void accepted(Path path, int count) {
        accepted[path.ordinal()].increment(count);
    }

    /**
     * A send refused: {@code invalid}, {@code forbidden}, {@code rate_limited}, {@code busy} (the write queue is full),
     * {@code unavailable} (the directory could not answer) or {@code failed}.
     */
    public void refused(Path path, String reason) {
        refusedCounter(path, reason).increment();
    }

    private Counter refusedCounter(Path path, String reason) {
        return refused.computeIfAbsent(path.tag + ' ' + reason, k -> Counter.builder("notify.sends.refused")
                .description("Sends not stored, by path and reason").tag("path", path.tag).tag("reason", reason)
                .register(registry));
    }

    void batch(int size) {
        batchSize.record(size);
    }

    /** A request record consumed {@code millis} after its timestamp (negative: a clock ahead of ours, not recorded). */
    void intakeLag(long millis) {
        if (millis >= 0) {
            intakeLag.record(millis, TimeUnit.MILLISECONDS);
        }
    }

    void deadLettered(DeadLetterReason reason) {
        deadLetters[reason.ordinal()].increment();
    }
}

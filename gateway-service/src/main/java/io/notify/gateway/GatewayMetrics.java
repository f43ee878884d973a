package io.notify.gateway;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.notify.gateway.routing.ConnectionIndex;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The gateway's own figures on {@code /q/metrics}, next to the JVM, HTTP and Kafka ones. A singleton,
 * not a client proxy: fan-out calls it from the event loops for every batch of writes.
 */
@Startup
@Singleton
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final ConnectionIndex connections; // held strongly: the gauge keeps only a weak reference
    private final Counter deliveries;
    private final Counter resyncs;
    private final Counter droppedClosed;
    private final Counter droppedSlow;
    private final Timer deliveryLag;
    private final Counter acksAccepted;
    private final Counter acksUnknown;
    private final Counter acksInvalid;
    private final Counter pendingAcksForgotten;
    private final Counter receiptsPublished;
    private final Counter receiptsFailed;
    private final Counter receiptsDropped;

    public GatewayMetrics(MeterRegistry registry, ConnectionIndex connections) {
        this.registry = registry;
        this.connections = connections;
        registry.gauge("notify.gateway.sockets", connections, ConnectionIndex::size);
        this.deliveries = Counter.builder("notify.gateway.deliveries")
                .description("Frames of events written to sockets").register(registry);
        this.resyncs = Counter.builder("notify.gateway.resyncs")
                .description("resync frames sent (a resume that could not be served)").register(registry);
        this.deliveryLag = Timer.builder("notify.gateway.delivery.lag")
                .description("From an event's occurred_at to its frames written to the sockets it addresses "
                        + "(one sample per event and event loop)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        this.droppedClosed = dropCounter("closed");
        this.droppedSlow = dropCounter("slow_consumer");
        this.acksAccepted = ackCounter("accepted");
        this.acksUnknown = ackCounter("unknown");
        this.acksInvalid = ackCounter("invalid");
        this.pendingAcksForgotten = Counter.builder("notify.gateway.pending.acks.forgotten")
                .description("Notification ids a socket left unacknowledged past its bound (256), forgotten oldest first")
                .register(registry);
        this.receiptsPublished = receiptCounter("published");
        this.receiptsFailed = receiptCounter("failed");
        this.receiptsDropped = receiptCounter("dropped");
    }

    private Counter ackCounter(String outcome) {
        return Counter.builder("notify.gateway.acks")
                .description("Notification ids in ack frames: accepted (pushed to that socket, not acknowledged yet), "
                        + "unknown (refused as not_found); invalid counts refused frames (invalid_request)")
                .tag("outcome", outcome).register(registry);
    }

    private Counter receiptCounter(String outcome) {
        return Counter.builder("notify.gateway.receipt.records")
                .description("notification-receipts records: published (acknowledged by Kafka), failed (refused by "
                        + "Kafka after its retries), dropped (not sent: the outgoing buffer was full)")
                .tag("outcome", outcome).register(registry);
    }

    /** {@code ids} acknowledged ids counted. */
    public void acksAccepted(int ids) {
        if (ids > 0) {
            acksAccepted.increment(ids);
        }
    }

    /** {@code ids} acknowledged ids refused: not pending on that socket. */
    public void acksUnknown(int ids) {
        if (ids > 0) {
            acksUnknown.increment(ids);
        }
    }

    /** An ack frame refused as malformed. */
    public void ackInvalid() {
        acksInvalid.increment();
    }

    /**
     * {@code count} sockets' oldest unacknowledged ids were forgotten for newer ones: counted once per write task, as
     * {@link #delivered}, since each increment samples an exemplar (a socket that never acknowledges forgets one per push).
     */
    public void pendingAcksForgotten(int count) {
        if (count > 0) {
            pendingAcksForgotten.increment(count);
        }
    }

    public void receiptPublished() {
        receiptsPublished.increment();
    }

    public void receiptFailed() {
        receiptsFailed.increment();
    }

    public void receiptDropped() {
        receiptsDropped.increment();
    }

    private Counter dropCounter(String reason) {
        return Counter.builder("notify.gateway.dropped").description("Frames not delivered, by reason")
                .tag("reason", reason).register(registry);
    }

    /** {@code count} event frames written to sockets. */
    public void delivered(int count) {
        if (count > 0) {
            deliveries.increment(count);
        }
    }

    /** An event's lag from its time to its frames written on one event loop, in millis; negative when unknown. */
    public void lag(long millis) {
        if (millis >= 0) {
            deliveryLag.record(millis, TimeUnit.MILLISECONDS);
        }
    }

    public void resync() {
        resyncs.increment();
    }

    /** A frame not delivered: its socket was closing or gone. */
    public void droppedClosed() {
        droppedClosed.increment();
    }

    /** A frame not delivered: its socket was over its outbound bound (and is closed for it). */
    public void droppedSlow() {
        droppedSlow.increment();
    }

    /** A gauge of {@code source} (held strongly by the caller: the registry keeps a weak reference). */
    public <T> void gauge(String name, String description, T source, java.util.function.ToDoubleFunction<T> value) {
        io.micrometer.core.instrument.Gauge.builder(name, source, value).description(description).register(registry);
    }

    /** An error frame or a close the gateway decided, by kind. */
    public void error(String kind) {
        registry.counter("notify.gateway.errors", "kind", kind).increment();
    }
}

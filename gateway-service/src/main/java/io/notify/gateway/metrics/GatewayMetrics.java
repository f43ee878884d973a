package io.notify.gateway.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.notify.gateway.websocket.ConnectionRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** The gateway's own figures on {@code /q/metrics}, next to the JVM, HTTP and Kafka ones. */
@Startup
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final ConnectionRegistry connections; // held strongly: the gauge keeps only a weak reference
    private final Counter deliveries;
    private final Counter resyncs;
    private final Timer deliveryLag;

    public GatewayMetrics(MeterRegistry registry, ConnectionRegistry connections) {
        this.registry = registry;
        this.connections = connections;
        registry.gauge("notify.gateway.sockets", connections, ConnectionRegistry::size);
        this.deliveries = Counter.builder("notify.gateway.deliveries")
                .description("Frames of events written to sockets").register(registry);
        this.resyncs = Counter.builder("notify.gateway.resyncs")
                .description("resync frames sent (a resume that could not be served)").register(registry);
        this.deliveryLag = Timer.builder("notify.gateway.delivery.lag")
                .description("From the event's occurred_at to its frame written to a socket")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    /** {@code count} event frames written to sockets. */
    public void delivered(int count) {
        if (count > 0) {
            deliveries.increment(count);
        }
    }

    /** One delivery's lag from its event's time to its frame written, in millis; negative when unknown. */
    public void lag(long millis) {
        if (millis >= 0) {
            deliveryLag.record(millis, TimeUnit.MILLISECONDS);
        }
    }

    public void resync() {
        resyncs.increment();
    }

    /** A frame not delivered, by reason (slow_consumer, closed). */
    public void dropped(String reason) {
        registry.counter("notify.gateway.dropped", "reason", reason).increment();
    }

    /** An error frame or a close the gateway decided, by kind. */
    public void error(String kind) {
        registry.counter("notify.gateway.errors", "kind", kind).increment();
    }
}

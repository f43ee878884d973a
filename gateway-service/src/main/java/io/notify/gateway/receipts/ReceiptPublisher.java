package io.notify.gateway.receipts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.GatewayConfig;
import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.routing.SocketUser;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Delivery receipts: the acks the sockets accepted, collected for {@code notify.gateway.receipts.window}
 * ({@link ReceiptAggregator}) and published on {@code notification-receipts}, one record per notification
 * (split at 1,000 users) keyed by its id, each with a fresh batch id (notification-service applies a batch
 * once). Through SmallRye Reactive Messaging's Kafka connector (acks=all, idempotent producer:
 * application.properties).
 *
 * <p>Kafka slow or down: the records handed over and not acknowledged yet are bounded by
 * {@code notify.gateway.receipts.max-in-flight-bytes} and by the emitter's buffer; past either the next
 * records are dropped and counted ({@code notify_gateway_receipt_records_total{outcome="dropped"}}), the
 * heap does not grow. On shutdown what is pending is published (after the sockets were drained).
 *
 * <p>A singleton, not a client proxy: the sockets' event loops call {@link #acked} for every accepted id.
 */
@Singleton
public class ReceiptPublisher {

    private static final Logger LOG = Logger.getLogger(ReceiptPublisher.class);

    private final ReceiptAggregator window = new ReceiptAggregator();
    private final Emitter<byte[]> emitter;
    /** Used under this publisher's lock ({@link #flush}). */
    private final ReceiptJson json;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final GatewayConfig.Receipts config;
    private final String gateway;
    private final AtomicLong inFlightBytes = new AtomicLong();

    public ReceiptPublisher(@Channel("notification-receipts") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) Emitter<byte[]> emitter,
            ObjectMapper json, GatewayMetrics metrics, Vertx vertx, GatewayConfig config) {
        this.emitter = emitter;
        this.json = new ReceiptJson(json.getFactory());
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config.receipts();
        this.gateway = config.instance().filter(s -> !s.isBlank()).orElseGet(ReceiptPublisher::hostname);
    }

    void start(@Observes StartupEvent event) {
        long window = Math.max(1, config.window().toMillis());
        // the window's records are built and handed to Kafka on a worker: JSON for thousands of users is not event-loop work
        vertx.setPeriodic(window, window, id -> {
            if (!this.window.isEmpty()) {
                vertx.executeBlocking(() -> {
                    flush();
                    return null;
                }, true);
            }
        });
    }

    /** The sockets are drained before (SocketLifecycle): their last acks go out with the rest. */
    void stop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) {
        flush();
    }

    /** {@code user}'s socket accepted an ack of {@code notificationId} now. */
    public void acked(UUID notificationId, SocketUser user, long atMillis) {
        window.acked(notificationId, user.userId(), user.company(), atMillis);
    }

    /** The instance name in the records. */
    public String gateway() {
        return gateway;
    }

    /** Publishes the window's receipts now (the timer's and the shutdown's work; tests call it too). */
    public synchronized void flush() {
        for (NotificationReceipts record : window.drain(gateway)) {
            publish(record);
        }
    }

    private void publish(NotificationReceipts record) {
        byte[] value = json.encode(record);
        long bytes = value.length;
        if (inFlightBytes.addAndGet(bytes) > config.maxInFlightBytes()) {
            inFlightBytes.addAndGet(-bytes);
            dropped(record, "more than " + config.maxInFlightBytes() + " bytes of receipts wait for Kafka");
            return;
        }
        Message<byte[]> message = Message.of(value,
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.notificationId()).build()),
                () -> {
                    inFlightBytes.addAndGet(-bytes);
                    metrics.receiptPublished();
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    inFlightBytes.addAndGet(-bytes);
                    metrics.receiptFailed();
                    LOG.warnf("Receipts of notification %s not published: %s", record.notificationId(), failure.toString());
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) { // the emitter's buffer is full, or the channel is gone (shutting down)
            inFlightBytes.addAndGet(-bytes);
            dropped(record, e.toString());
        }
    }

    private void dropped(NotificationReceipts record, String why) {
        metrics.receiptDropped();
        LOG.debugf("Receipts of notification %s dropped: %s", record.notificationId(), why);
    }

    private static String hostname() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gateway-" + UUID.randomUUID();
        }
    }
}

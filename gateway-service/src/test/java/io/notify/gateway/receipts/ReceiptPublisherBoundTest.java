package io.notify.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.notify.gateway.GatewayConfig;
import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.routing.ConnectionIndex;
import io.notify.gateway.routing.SocketUser;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Kafka slow or down: the receipts handed to it and not acknowledged are bounded (past the bound the next records
 * are dropped and counted, the heap does not grow), and each record's fate is counted: published, failed, dropped.
 */
class ReceiptPublisherBoundTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final GatewayMetrics metrics = new GatewayMetrics(registry, new ConnectionIndex());
    final ObjectMapper json = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    final SocketUser user = new SocketUser("u1", "someone", "co", Set.of("user"), Instant.now().getEpochSecond(),
            Instant.now().plusSeconds(3600).getEpochSecond());

    /** An emitter that holds every message, acknowledging none until the test does. */
    static final class HeldEmitter implements Emitter<byte[]> {
        final List<Message<byte[]>> held = new ArrayList<>();
        boolean full;

        @Override
        public CompletionStage<Void> send(byte[] payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M extends Message<? extends byte[]>> void send(M message) {
            if (full) {
                throw new IllegalStateException("insufficient downstream requests");
            }
            held.add((Message<byte[]>) message);
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }

    static GatewayConfig config(int maxInFlightBytes) {
        GatewayConfig.Receipts receipts = (GatewayConfig.Receipts) Proxy.newProxyInstance(
                GatewayConfig.class.getClassLoader(), new Class<?>[] { GatewayConfig.Receipts.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "window" -> Duration.ofMillis(250);
                    case "maxInFlightBytes" -> maxInFlightBytes;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (GatewayConfig) Proxy.newProxyInstance(GatewayConfig.class.getClassLoader(), new Class<?>[] { GatewayConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "receipts" -> receipts;
                    case "instance" -> Optional.of("gw-test");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    double records(String outcome) {
        return registry.get("notify.gateway.receipt.records").tag("outcome", outcome).counter().count();
    }

    @Test
    void pastTheInFlightBound_recordsAreDroppedAndCounted_andRoomComesBackWithKafkasAnswer() {
        HeldEmitter emitter = new HeldEmitter();
        // room for one record of one user (about 250 bytes), not two
        ReceiptPublisher publisher = new ReceiptPublisher(emitter, json, metrics, null, config(400));
        publisher.acked(UUID.randomUUID(), user, 1_000);
        publisher.acked(UUID.randomUUID(), user, 1_000);
        publisher.acked(UUID.randomUUID(), user, 1_000);
        publisher.flush();
        assertThat(emitter.held).hasSize(1);
        assertThat(records("dropped")).isEqualTo(2);

        Message<byte[]> first = emitter.held.get(0);
        assertThat(first.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey())
                .as("keyed by the notification id").isEqualTo(readId(first));
        first.ack().toCompletableFuture().join();
        assertThat(records("published")).isEqualTo(1);

        // acknowledged: its room is free again
        publisher.acked(UUID.randomUUID(), user, 2_000);
        publisher.flush();
        assertThat(emitter.held).hasSize(2);
        emitter.held.get(1).nack(new IllegalStateException("broker gone")).toCompletableFuture().join();
        assertThat(records("failed")).isEqualTo(1);

        // the emitter's own buffer full: dropped too, and its room is not kept
        emitter.full = true;
        publisher.acked(UUID.randomUUID(), user, 3_000);
        publisher.flush();
        assertThat(records("dropped")).isEqualTo(3);
        emitter.full = false;
        publisher.acked(UUID.randomUUID(), user, 4_000);
        publisher.flush();
        assertThat(emitter.held).hasSize(3);
    }

    String readId(Message<byte[]> message) {
        try {
            return json.readTree(message.getPayload()).path("notification_id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

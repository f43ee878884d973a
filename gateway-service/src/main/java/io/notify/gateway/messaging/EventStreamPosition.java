package io.notify.gateway.messaging;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Marks the gateway ready only once it holds a position on every partition of the event stream.
 * The position is resolved right away (auto.offset.reset=latest), so an event produced after the
 * readiness probe turns green is never skipped.
 */
@ApplicationScoped
@Identifier("event-stream-position")
public class EventStreamPosition implements KafkaConsumerRebalanceListener {

    private final AtomicBoolean positioned = new AtomicBoolean();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(consumer::position);
        positioned.set(!partitions.isEmpty());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        positioned.set(false);
    }

    public boolean isPositioned() {
        return positioned.get();
    }
}

package io.notify.gateway.routing;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>This group commits nothing, so after a rebalance (the broker restarted, the coordinator moved)
 * {@code latest} would jump over every event produced while the partition was away: sockets that
 * stayed open would silently miss them. A partition that comes back therefore continues from where
 * this instance stopped reading it.
 */
@ApplicationScoped
@Identifier("event-stream-position")
public class EventStreamPosition implements KafkaConsumerRebalanceListener {

    private final AtomicBoolean positioned = new AtomicBoolean();
    private final Map<TopicPartition, Long> stoppedAt = new ConcurrentHashMap<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Long next = stoppedAt.remove(partition);
            if (next != null) {
                consumer.seek(partition, next);
            } else {
                consumer.position(partition);
            }
        }
        positioned.set(!partitions.isEmpty());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        positioned.set(false);
        for (TopicPartition partition : partitions) {
            try {
                stoppedAt.put(partition, consumer.position(partition));
            } catch (RuntimeException noPositionYet) {
                // never positioned: nothing was read, latest is right
            }
        }
    }

    public boolean isPositioned() {
        return positioned.get();
    }
}

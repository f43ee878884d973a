package io.notify.directory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts every assigned partition of {@code user-changes} at the first record of the look-back before now (or at its
 * end when there is none), whatever the group committed: an instance (re)started knows every change a token still
 * valid can predate. Reading a change twice is harmless ({@link RecentChanges#apply} keeps the latest).
 */
@ApplicationScoped
@Identifier(LookBack.NAME)
public class LookBack implements KafkaConsumerRebalanceListener {

    public static final String NAME = "user-changes-look-back";

    private final Duration lookBack;

    public LookBack(@ConfigProperty(name = "notify.directory.lookback", defaultValue = "20m") Duration lookBack) {
        this.lookBack = lookBack;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long from = System.currentTimeMillis() - lookBack.toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            consumer.seek(partition, offset != null ? offset.offset() : ends.get(partition));
        }
    }
}

package io.notify.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends notifications as records on {@code notification-requests}, the intake notification-service reads: the JSON
 * value {@code POST /api/notifications} takes, keyed by the audience's routing key (its user, company or role: one
 * key's requests stay in order), with the idempotency key (the notification's own, else a fresh one) in the
 * {@code idempotency_key} field and the {@code idempotency-key} header. A producer that retries a send with the same
 * {@link Notification} (same key) creates it once. Needs {@code kafka-clients} on the class path; the producer is the
 * caller's (create it with {@code acks=all}, the default): this class only writes to it and never closes it.
 *
 * <p>
 * A request the intake finds invalid is not answered: it goes to {@code notification-requests-dlq} with the reason.
 * Build notifications with {@link Notification#to} (which refuses what the intake would) to avoid that.
 */
public final class NotifyKafkaProducer {

    public static final String TOPIC = "notification-requests";
    public static final String IDEMPOTENCY_HEADER = "idempotency-key";

    private final Producer<String, byte[]> producer;
    private final String topic;

    public NotifyKafkaProducer(Producer<String, byte[]> producer) {
        this(producer, TOPIC);
    }

    public NotifyKafkaProducer(Producer<String, byte[]> producer, String topic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /** The record {@link #send} writes, for callers that produce it themselves (transactions, interceptors). */
    public static ProducerRecord<String, byte[]> record(String topic, Notification notification) {
        Notification keyed = Objects.requireNonNull(notification, "notification").withIdempotencyKeyIfAbsent();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, keyed.audience().routingKey(),
                NotifyClient.json(keyed));
        record.headers().add(IDEMPOTENCY_HEADER, keyed.idempotencyKey().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Completes when the broker has the record (with the producer's acks), exceptionally when it could not. */
    public CompletableFuture<RecordMetadata> send(Notification notification) {
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        producer.send(record(topic, notification), (metadata, error) -> {
            if (error != null) {
                written.completeExceptionally(error);
            } else {
                written.complete(metadata);
            }
        });
        return written;
    }
}

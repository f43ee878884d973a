package io.notify.notification.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.problem.BodyTypeProblems;
import io.notify.problem.Violation;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

/**
 * Receipts from the gateways ({@code notification-receipts}, consumer group {@code notification-service}), a Kafka
 * poll at a time: the valid records of a poll are applied in one transaction before their offsets can be committed
 * (a redelivered record counts once: its batch id is stored with it), so a gateway's receipts for a thousand
 * notifications a second cost a few commits a second, each of two statements ({@link Receipts#applyAll}), not a
 * thousand of each. An invalid record is nacked on its own, which the dead-letter-queue failure strategy turns into a
 * record on {@code notification-receipts-dlq} carrying the original bytes and the reason in the
 * {@code dead-letter-reason} header, as the intake does.
 */
@ApplicationScoped
public class ReceiptConsumer {

    private static final Logger LOG = Logger.getLogger(ReceiptConsumer.class);

    private final ReceiptApplier applier;
    private final ObjectMapper json;
    private final Validator validator;
    private final DeliveryMetrics metrics;

    public ReceiptConsumer(ReceiptApplier applier, ObjectMapper json, Validator validator, DeliveryMetrics metrics) {
        this.applier = applier;
        this.json = json;
        this.validator = validator;
        this.metrics = metrics;
    }

    @Incoming("notification-receipts")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> records) {
        List<NotificationReceipts> valid = new ArrayList<>();
        List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : records.getRecords()) {
            try {
                valid.add(parse(record.getPayload()));
            } catch (InvalidReceiptsException e) {
                LOG.debugf("Dead-lettering an invalid receipts record: %s", e.getMessage());
                metrics.receipt(DeliveryMetrics.Outcome.INVALID);
                deadLettered.add(record.nack(e).toCompletableFuture());
            }
        }
        if (!valid.isEmpty()) {
            applier.applyDurably(valid); // returns once committed: then the ack
        }
        return CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).thenCompose(v -> records.ack());
    }

    private NotificationReceipts parse(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidReceiptsException("empty record value");
        }
        NotificationReceipts batch;
        try {
            batch = json.readValue(value, NotificationReceipts.class);
        } catch (JsonProcessingException e) {
            String field = e instanceof JsonMappingException mapping ? BodyTypeProblems.field(mapping.getPath()) : "";
            throw new InvalidReceiptsException("not a NotificationReceipts JSON object: "
                    + (field.isEmpty() ? "" : "at " + field + ": ") + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidReceiptsException("unreadable value: " + e.getMessage());
        }
        if (batch == null) {
            throw new InvalidReceiptsException("value is JSON null");
        }
        List<Violation> violations = Violation.of(validator.validate(batch));
        if (!violations.isEmpty()) {
            throw new InvalidReceiptsException(Violation.describe(violations));
        }
        return batch;
    }

    /** Applies a valid batch, trying again while the database is away: a valid record is never dead-lettered. */
    @ApplicationScoped
    public static class ReceiptApplier {

        private final Receipts receipts;

        public ReceiptApplier(Receipts receipts) {
            this.receipts = receipts;
        }

        @Retry(maxRetries = -1, delay = 100, maxDuration = 0, jitter = 0)
        @ExponentialBackoff(factor = 2, maxDelay = 5_000)
        public List<DeliveryMetrics.Outcome> applyDurably(List<NotificationReceipts> batches) {
            try {
                return receipts.applyAll(batches);
            } catch (RuntimeException e) {
                LOG.warnf("Applying %d receipt records failed, trying again: %s", batches.size(), e.toString());
                throw e;
            }
        }
    }

    /** The reason a record was dead-lettered; its message becomes the {@code dead-letter-reason} header. */
    static final class InvalidReceiptsException extends RuntimeException {
        InvalidReceiptsException(String reason) {
            super(reason, null, false, false);
        }
    }
}

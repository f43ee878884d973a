package io.notify.notification.send;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.notify.notification.quota.QuotaVerdict;
import io.notify.problem.BodyTypeProblems;
import io.notify.problem.Violation;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Intake from any producer. A valid record is stored (idempotently) before its offset can be
 * committed, or, when its company's send quota is used up, kept for a later window ({@link DeferredSends}) before it
 * can be: it never waits in the partition, ahead of other companies' records. An invalid one is nacked, which the
 * dead-letter-queue failure strategy turns into a record on {@code notification-requests-dlq} carrying the original
 * bytes and the reason.
 *
 * <p>
 * The consumer does not wait for each record's commit before taking the next: a granted request is queued for the send
 * writer in the partition's order and the record is acknowledged once its batch is committed (the throttled commit
 * strategy commits an offset only when every record before it is acknowledged). So records read together are stored
 * together, one group commit for as many as the writer takes at once, instead of one commit (and its
 * {@code min-batch-interval}) each. A queued request whose store fails (the database away) is stored again by a single
 * retrying thread, in the order they failed, and the consumer queues nothing new until those are stored: they keep
 * their place ahead of later records, except one that fails alone while a later one commits.
 *
 * <p>
 * A request without an idempotency key (field or header) gets one made of its record's topic, partition, offset and
 * timestamp ({@value #RECORD_KEY_PREFIX}…): the same record read again (a redelivery after a rebalance or a restart)
 * creates nothing new, and neither does a kept request stored twice. The timestamp keeps a record of a topic deleted
 * and created again, whose offsets start over, from being taken for an earlier one.
 */
@ApplicationScoped
public class NotificationRequestConsumer {

    /** Header a producer may set instead of the {@code idempotency_key} field. */
    public static final String IDEMPOTENCY_HEADER = "idempotency-key";
    /** Header a producer may set instead of the {@code schema_version} field; absent means 1. */
    public static final String SCHEMA_VERSION_HEADER = "schema-version";
    /** How a key made of the record's place starts (see above). */
    static final String RECORD_KEY_PREFIX = "kafka-record:";
    /** The only request schema this consumer reads; a newer producer's record waits on the DLQ for a newer consumer. */
    static final int SCHEMA_VERSION = 1;

    private static final Logger LOG = Logger.getLogger(NotificationRequestConsumer.class);

    private final SendPipeline pipeline;
    private final DeferredSends deferred;
    private final SendMetrics metrics;
    private final ObjectMapper json;
    private final OrderedStores<NotificationRequest> stores;

    public NotificationRequestConsumer(SendPipeline pipeline, DeferredSends deferred, SendMetrics metrics,
            ObjectMapper json) {
        this.pipeline = pipeline;
        this.deferred = deferred;
        this.metrics = metrics;
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.stores = new OrderedStores<>(pipeline::submitFromKafka, pipeline::storeDurably);
    }

    @Incoming("notification-requests")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL) // acked when stored, which may be after this returns
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> record) {
        record.getMetadata(IncomingKafkaRecordMetadata.class)
                .ifPresent(m -> metrics.intakeLag(System.currentTimeMillis() - m.getTimestamp().toEpochMilli()));
        NotificationRequest request;
        try {
            request = parse(record);
        } catch (InvalidRecordException e) {
            LOG.debugf("Dead-lettering an invalid notification request: %s", e.getMessage());
            pipeline.refusedFromKafka(e.reason);
            return record.nack(e);
        }
        // the connector's consumer span (a child of the record's traceparent header, when tracing is on) is the
        // send's trace context: the outbox row stores it (SendBatcher), the relay continues it
        Context trace = TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext).orElse(null);
        try (Scope scope = trace == null ? null : trace.makeCurrent()) {
            if (request.sendAt() != null) {
                pipeline.scheduleFromKafka(request);
                return record.ack();
            }
            QuotaVerdict verdict = pipeline.admitFromKafka(request);
            if (!verdict.granted()) {
                deferred.defer(request, verdict);
                return record.ack();
            }
            stores.queue(request, record, trace);
        }
        return CompletableFuture.completedFuture(null); // on to the next record; this one is acked when stored
    }

    @PreDestroy
    void stop() {
        stores.stop();
    }

    private NotificationRequest parse(Message<byte[]> record) {
        byte[] value = record.getPayload();
        if (value == null || value.length == 0) {
            throw new InvalidRecordException(SendMetrics.DeadLetterReason.EMPTY, "empty record value");
        }
        NotificationRequest request;
        try {
            JsonNode tree = json.readTree(value);
            checkSchemaVersion(tree, header(record, SCHEMA_VERSION_HEADER));
            request = json.treeToValue(tree, NotificationRequest.class);
        } catch (JsonProcessingException e) {
            // unparseable bytes are not JSON; JSON that does not bind (unknown or mistyped fields) is an invalid request
            throw new InvalidRecordException(e instanceof JsonMappingException ? SendMetrics.DeadLetterReason.INVALID
                    : SendMetrics.DeadLetterReason.NOT_JSON,
                    "not a NotificationRequest JSON object: " + at(e) + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidRecordException(SendMetrics.DeadLetterReason.NOT_JSON,
                    "unreadable value: " + e.getMessage());
        }
        if (request == null) {
            throw new InvalidRecordException(SendMetrics.DeadLetterReason.EMPTY, "value is JSON null");
        }
        if (request.idempotencyKey() == null) {
            String key = header(record, IDEMPOTENCY_HEADER);
            if (key == null) {
                key = record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> RECORD_KEY_PREFIX + m.getTopic()
                        + '/' + m.getPartition() + '/' + m.getOffset() + '@' + m.getTimestamp().toEpochMilli())
                        .orElse(null);
            }
            request = request.withIdempotencyKey(key);
        }
        if (request.sendAt() != null && !request.sendAt().isAfter(OffsetDateTime.now())) {
            request = request.now(); // due by the time it was read (a lagging consumer, say): sent now, not refused
        }
        List<Violation> violations = pipeline.violations(request);
        if (!violations.isEmpty()) {
            throw new InvalidRecordException(SendMetrics.DeadLetterReason.INVALID, Violation.describe(violations));
        }
        return request;
    }

    /**
     * {@code schema_version} (field or header) must be 1 when given. The field is taken out of the
     * tree here, so the binding below still rejects every other unknown field.
     */
    private static void checkSchemaVersion(JsonNode tree, String header) {
        JsonNode field = tree instanceof ObjectNode object ? object.remove("schema_version") : null;
        String version = field != null ? field.asText() : header;
        if (version != null && !version.equals(String.valueOf(SCHEMA_VERSION))) {
            throw new InvalidRecordException(SendMetrics.DeadLetterReason.SCHEMA_VERSION,
                    "unsupported schema_version " + version + ": this consumer reads version "
                    + SCHEMA_VERSION);
        }
    }

    /** Where in the value a binding error is, e.g. "at audience.user_ids[0]: ", so a producer can find it. */
    private static String at(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? BodyTypeProblems.field(mapping.getPath()) : "";
        return field.isEmpty() ? "" : "at " + field + ": ";
    }

    private static String header(Message<byte[]> record, String name) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader(name))
                .map(Header::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .filter(v -> !v.isBlank())
                .orElse(null);
    }

    /** The reason a record was dead-lettered; its message becomes the {@code dead-letter-reason} header. */
    static final class InvalidRecordException extends RuntimeException {
        final SendMetrics.DeadLetterReason reason;

        InvalidRecordException(SendMetrics.DeadLetterReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}

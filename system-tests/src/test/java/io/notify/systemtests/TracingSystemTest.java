package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.NotifyKafkaProducer;
import io.notify.client.SentNotification;
import io.notify.client.TokenSource;
import io.notify.infra.launch.Suite;

/**
 * One trace from the producer to the gateways' delivery, read back from a real OTLP/HTTP receiver
 * ({@link OtlpReceiver}, which every service of the suite exports to): a W3C {@code traceparent} sent with a Java SDK
 * REST send (by the HttpClient it was given), or as a header of the SDK's {@code notification-requests} record,
 * continues through notification-service (the send, its outbox row, the relay's publication with the record's
 * {@code traceparent} header) to one delivery span on each gateway, all under the caller's trace id.
 */
@ExtendWith(SuiteExtension.class)
class TracingSystemTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    static Api api;
    static String admin;
    static String user1Id;

    @BeforeAll
    static void users(Suite suite) {
        api = new Api(suite);
        admin = api.login("admin", "wkwkwk");
        user1Id = api.userId(api.login("user1", "wkwkwk"));
    }

    @Test
    void aRestSendsTraceparent_continuesThroughTheStoreAndTheRelay_toOneDeliverySpanPerGateway(Suite suite,
            OtlpReceiver traces) {
        String traceId = hex(16);
        String callerSpan = hex(8);
        // the SDK sends with whatever HttpClient it is given: here one that adds the caller's traceparent, as an
        // instrumented client would
        HttpClient traced = new HeaderAddingHttpClient(HttpClient.newHttpClient(), "traceparent",
                "00-" + traceId + "-" + callerSpan + "-01");
        SentNotification sent = Api.sdk(suite.origin(), TokenSource.fixed(admin)).httpClient(traced).build()
                .send(request("Traced over REST"));
        assertThat(sent.created()).isTrue();

        awaitTheWholeTrace(suite, traces, traceId);
        List<OtlpReceiver.ReceivedSpan> spans = ofTrace(traces, traceId);
        assertThat(spans).as("notification-service's server span continues the caller's span")
                .anyMatch(s -> s.service().equals("notification-service") && s.kind().equals("SPAN_KIND_SERVER")
                        && s.parentSpanId().equals(callerSpan));
    }

    @Test
    void aKafkaRequestsTraceparentHeader_continuesToOneDeliverySpanPerGateway(Suite suite, OtlpReceiver traces) {
        String traceId = hex(16);
        String producerSpan = hex(8);
        try (KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            // the SDK's record, produced by the caller so that it can carry the producer's trace context
            ProducerRecord<String, byte[]> record = NotifyKafkaProducer.record(NotifyKafkaProducer.TOPIC,
                    request("Traced over Kafka"));
            record.headers().add("traceparent",
                    ("00-" + traceId + "-" + producerSpan + "-01").getBytes(StandardCharsets.US_ASCII));
            kafka.send(record);
        }

        awaitTheWholeTrace(suite, traces, traceId);
        assertThat(ofTrace(traces, traceId)).as("notification-service's consumer span continues the record's")
                .anyMatch(s -> s.service().equals("notification-service") && s.kind().equals("SPAN_KIND_CONSUMER")
                        && s.parentSpanId().equals(producerSpan));
    }

    /**
     * The relay's publish span in notification-service, and under it exactly one delivery span per gateway (each
     * gateway reads every event), all with the trace id the producer chose.
     */
    private static void awaitTheWholeTrace(Suite suite, OtlpReceiver traces, String traceId) {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<OtlpReceiver.ReceivedSpan> spans = ofTrace(traces, traceId);
            List<OtlpReceiver.ReceivedSpan> published = spans.stream()
                    .filter(s -> s.service().equals("notification-service")
                            && s.name().equals("notification-events publish") && s.kind().equals("SPAN_KIND_PRODUCER"))
                    .toList();
            assertThat(published).as("the relay's span of the event, in %s", spans).hasSize(1);
            List<OtlpReceiver.ReceivedSpan> delivered = spans.stream()
                    .filter(s -> s.name().equals("notification-events deliver")).toList();
            assertThat(delivered).as("one delivery span per gateway, children of the relay's, in %s", spans)
                    .hasSize(suite.gateways().size())
                    .allMatch(s -> s.service().equals("gateway-service") && s.kind().equals("SPAN_KIND_CONSUMER")
                            && s.parentSpanId().equals(published.get(0).spanId()));
        });
        assertThat(traces.refused()).as("every export was OTLP/HTTP protobuf to /v1/traces").isEmpty();
    }

    private static List<OtlpReceiver.ReceivedSpan> ofTrace(OtlpReceiver traces, String traceId) {
        return traces.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private static Notification request(String title) {
        return Notification.to(Audience.user(user1Id)).title(title + " " + UUID.randomUUID())
                .message("One trace from the producer to the sockets").build();
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}

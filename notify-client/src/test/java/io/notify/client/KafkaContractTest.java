package io.notify.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.notify.infra.contract.Contracts;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** What {@link NotifyKafkaProducer} writes is a {@code NotificationRequest} record as contracts/asyncapi.yaml defines it. */
class KafkaContractTest {

    @Test
    void everyAudienceAndEveryField_makeAValidNotificationRequestRecord() {
        for (Audience audience : List.of(Audience.user("00000000-0000-4000-8000-00000000a002"), Audience.users("a", "b"),
                Audience.company("company_a"), Audience.role("admin", "company_a"), Audience.roleEverywhere("user"),
                Audience.topic("project-42", "company_a"), Audience.everyone())) {
            Notification n = Notification.to(audience).title("Invoice approved").message("INV-1001 was approved")
                    .type("approval").priority(Priority.URGENT).data(Map.of("invoice", "INV-1001", "n", 1))
                    .link("/invoices/1001").expiresAt(OffsetDateTime.parse("2027-01-01T00:00:00Z"))
                    .sendAt(OffsetDateTime.parse("2026-12-31T09:00:00Z")).build();

            ProducerRecord<String, byte[]> record = NotifyKafkaProducer.record(NotifyKafkaProducer.TOPIC, n);

            assertThat(Contracts.validate(Contracts.NOTIFICATION_REQUEST, new String(record.value(), StandardCharsets.UTF_8)))
                    .as(audience.type()).isEmpty();
            Map<String, String> headers = new java.util.HashMap<>();
            for (Header h : record.headers()) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            assertThat(Contracts.validateHeaders(Contracts.NOTIFICATION_REQUEST, headers)).isEmpty();
        }
    }

    @Test
    void theMinimalRequest_isValidToo() {
        Notification n = Notification.to(Audience.company("company_a")).title("t").message("m").build();
        assertThat(Contracts.validate(Contracts.NOTIFICATION_REQUEST,
                new String(NotifyKafkaProducer.record(NotifyKafkaProducer.TOPIC, n).value(), StandardCharsets.UTF_8)))
                .isEmpty();
    }
}

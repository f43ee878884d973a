package io.notify.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.notify.infra.contract.Contracts;

/** A window's acks become one record per notification (split at 1,000 users), valid against the contract. */
class ReceiptAggregatorTest {

    final ObjectMapper json = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void acksOfOneWindow_areOneRecordPerNotification_perUser() throws Exception {
        ReceiptAggregator window = new ReceiptAggregator();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        window.acked(a, "u1", "co", 1_000);
        window.acked(a, "u1", "co", 1_250);
        window.acked(a, "u2", null, 1_100);
        window.acked(b, "u1", "co", 1_300);
        List<NotificationReceipts> records = window.drain("gw-1");
        assertThat(records).hasSize(2);
        assertThat(window.isEmpty()).isTrue();
        assertThat(window.drain("gw-1")).isEmpty();
        NotificationReceipts ofA = records.stream().filter(r -> r.notificationId().equals(a.toString())).findFirst().orElseThrow();
        assertThat(ofA.receipts()).hasSize(2);
        NotificationReceipts.Receipt u1 = ofA.receipts().stream().filter(r -> r.userId().equals("u1")).findFirst().orElseThrow();
        assertThat(u1.sockets()).isEqualTo(2);
        assertThat(u1.firstAckedAt().toEpochMilli()).isEqualTo(1_000);
        assertThat(u1.lastAckedAt().toEpochMilli()).isEqualTo(1_250);
        assertThat(records.get(0).batchId()).isNotEqualTo(records.get(1).batchId());
        for (NotificationReceipts record : records) {
            Contracts.assertValid(Contracts.NOTIFICATION_RECEIPTS, json.writeValueAsString(record));
        }
    }

    @Test
    void moreThanAThousandUsers_makeMoreRecords() {
        ReceiptAggregator window = new ReceiptAggregator();
        UUID id = UUID.randomUUID();
        for (int i = 0; i < 2_500; i++) {
            window.acked(id, "u" + i, "co", 1_000 + i);
        }
        List<NotificationReceipts> records = window.drain("gw-1");
        assertThat(records).extracting(r -> r.receipts().size()).containsExactly(1_000, 1_000, 500);
        assertThat(records).extracting(NotificationReceipts::batchId).doesNotHaveDuplicates();
    }
}

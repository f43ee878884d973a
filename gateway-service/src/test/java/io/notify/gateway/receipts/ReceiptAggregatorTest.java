package io.notify.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.infra.contract.Contracts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A window's acks become one record per notification (split at 1,000 users), whose JSON ({@link ReceiptJson}) is valid
 * against the contract and carries the times to the millisecond.
 */
class ReceiptAggregatorTest {

    final ReceiptJson json = new ReceiptJson(new ObjectMapper().getFactory());

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
        assertThat(u1.firstAckedAtMillis()).isEqualTo(1_000);
        assertThat(u1.lastAckedAtMillis()).isEqualTo(1_250);
        assertThat(records.get(0).batchId()).isNotEqualTo(records.get(1).batchId());
        for (NotificationReceipts record : records) {
            Contracts.assertValid(Contracts.NOTIFICATION_RECEIPTS, new String(json.encode(record), StandardCharsets.UTF_8));
        }
        JsonObject written = new JsonObject(new String(json.encode(ofA), StandardCharsets.UTF_8));
        assertThat(written.getString("notification_id")).isEqualTo(a.toString());
        assertThat(written.getString("gateway")).isEqualTo("gw-1");
        assertThat(written.getInteger("schema_version")).isEqualTo(1);
        JsonObject first = written.getJsonArray("receipts").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("user_id").equals("u1")).findFirst().orElseThrow();
        assertThat(first.getString("company")).isEqualTo("co");
        assertThat(first.getInteger("sockets")).isEqualTo(2);
        assertThat(first.getString("first_acked_at")).isEqualTo("1970-01-01T00:00:01.000Z");
        assertThat(first.getString("last_acked_at")).isEqualTo("1970-01-01T00:00:01.250Z");
        JsonObject noCompany = written.getJsonArray("receipts").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("user_id").equals("u2")).findFirst().orElseThrow();
        assertThat(noCompany.containsKey("company")).as("company is written, as null").isTrue();
        assertThat(noCompany.getString("company")).isNull();
    }

    /** Every millisecond of a window's times comes out as the instant it is, across seconds, days and years. */
    @Test
    void timesAreWrittenToTheMillisecond() {
        java.util.Random random = new java.util.Random(7);
        List<NotificationReceipts.Receipt> receipts = new java.util.ArrayList<>();
        long now = System.currentTimeMillis();
        long[] times = new long[600];
        for (int i = 0; i < times.length; i++) {
            // runs of nearby times (one formatted second reused) and jumps (another second, day or year)
            times[i] = i % 50 == 0 ? now + random.nextLong(-400L * 86_400_000L, 400L * 86_400_000L) : times[i - 1] + random.nextInt(0, 700);
            receipts.add(new NotificationReceipts.Receipt("u" + i, "co", 1, times[i], times[i]));
        }
        times[1] = 0; // the epoch itself
        receipts.set(1, new NotificationReceipts.Receipt("u1", "co", 1, 0, 0));
        NotificationReceipts record = new NotificationReceipts(1, UUID.randomUUID().toString(), "gw", UUID.randomUUID().toString(), receipts);
        JsonArray written = new JsonObject(new String(json.encode(record), StandardCharsets.UTF_8)).getJsonArray("receipts");
        for (int i = 0; i < times.length; i++) {
            String text = written.getJsonObject(i).getString("first_acked_at");
            assertThat(java.time.Instant.parse(text).toEpochMilli()).as(text).isEqualTo(times[i]);
            assertThat(text).hasSize(24).endsWith("Z");
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

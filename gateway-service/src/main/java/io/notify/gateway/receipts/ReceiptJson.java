package io.notify.gateway.receipts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A {@link NotificationReceipts} record's JSON, as UTF-8 bytes (the Kafka record's value), written with Jackson's
 * streaming generator. A gateway writes one receipt per user and notification acknowledged, each with two
 * timestamps: through data binding, the Instants' ISO formatting and the String built and encoded again made most of
 * the garbage of a 10k fan-out with acks (JFR, session 14). Timestamps are written as {@code 2026-12-05T07:21:23.123Z}
 * from a buffer, the date and time of day formatted once per second.
 */
final class ReceiptJson {

    /** {@code yyyy-MM-ddTHH:mm:ss}: 19 characters for years 1000 to 9999. */
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private final JsonFactory factory;
    /** The second formatted into {@link #time}, and the timestamp being written. */
    private long second = Long.MIN_VALUE;
    private final char[] time = new char[24];

    /** One per encoding thread (it keeps a buffer): the publisher encodes under its own lock. */
    ReceiptJson(JsonFactory factory) {
        this.factory = factory;
    }

    byte[] encode(NotificationReceipts record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + 140 * record.receipts().size());
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schema_version", record.schemaVersion());
            g.writeStringField("batch_id", record.batchId());
            g.writeStringField("gateway", record.gateway());
            g.writeStringField("notification_id", record.notificationId());
            g.writeArrayFieldStart("receipts");
            for (NotificationReceipts.Receipt r : record.receipts()) {
                g.writeStartObject();
                g.writeStringField("user_id", r.userId());
                g.writeStringField("company", r.company()); // null when the token had none: written as null
                g.writeNumberField("sockets", r.sockets());
                g.writeFieldName("first_acked_at");
                timestamp(g, r.firstAckedAtMillis());
                g.writeFieldName("last_acked_at");
                timestamp(g, r.lastAckedAtMillis());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private void timestamp(JsonGenerator g, long millis) throws IOException {
        long s = Math.floorDiv(millis, 1000);
        if (s != second) {
            String formatted = SECOND.format(LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC));
            if (formatted.length() != 19) { // a year outside 1000-9999: not from a clock
                g.writeString(java.time.Instant.ofEpochMilli(millis).toString());
                return;
            }
            formatted.getChars(0, 19, time, 0);
            time[19] = '.';
            time[23] = 'Z';
            second = s;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        time[20] = (char) ('0' + ms / 100);
        time[21] = (char) ('0' + ms / 10 % 10);
        time[22] = (char) ('0' + ms % 10);
        g.writeString(time, 0, 24);
    }
}

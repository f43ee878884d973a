package io.notify.notification.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.notify.notification.event.Audience;
import io.notify.notification.event.NotificationEvent;
import io.notify.notification.event.NotificationView;

/**
 * A send batch stores its events' JSON before it knows their seqs: PostgreSQL puts each seq between the
 * parts {@link NotificationService#splitAtSeqs} cut. What senders write can never move a cut.
 */
class CreatedEventSeqsTest {

    private static final String PLACEHOLDER_FIELD = "\"seq\":" + Long.MIN_VALUE;
    private final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    @Test
    void theEventIsCutAtItsOwnTwoSeqFields_evenWhenSendersWriteTheirPlaceholderIntoRecipientsTitleAndData()
            throws Exception {
        String trap = PLACEHOLDER_FIELD + ",";
        UUID id = UUID.randomUUID();
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 4, 10, 0, 0, 0, ZoneOffset.UTC);
        Map<String, Object> data = Map.of("seq", Long.MIN_VALUE, trap, trap);

        String placeholder = json.writeValueAsString(NotificationEvent.created(view(id, Long.MIN_VALUE, trap, at, data)));
        String[] parts = NotificationService.splitAtSeqs(placeholder);
        String stored = parts[0] + 4711 + parts[1] + 4711 + parts[2];

        NotificationEvent expected = NotificationEvent.created(view(id, 4711, trap, at, data));
        assertThat(json.readTree(stored)).isEqualTo(json.readTree(json.writeValueAsString(expected).replace(
                "\"event_id\":\"" + expected.eventId(), "\"event_id\":\"" + json.readTree(placeholder).get("event_id").asText())));
        assertThat(json.readTree(stored).get("seq").asLong()).isEqualTo(4711);
        assertThat(json.readTree(stored).at("/notification/seq").asLong()).isEqualTo(4711);
        assertThat(json.readTree(stored).at("/notification/data/seq").asLong()).as("the sender's own").isEqualTo(Long.MIN_VALUE);
    }

    private static NotificationView view(UUID id, long seq, String trap, OffsetDateTime at, Map<String, Object> data) {
        return new NotificationView(id, seq, new Audience("users", List.of(trap, "u2"), null, null), trap, trap, "info",
                "normal", data, null, trap, at, null, null);
    }
}

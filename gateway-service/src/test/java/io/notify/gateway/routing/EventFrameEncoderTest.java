package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.notify.infra.contract.Contracts;

/** The {@code notification} frame a {@code created} event becomes, against the contract's frame schema. */
class EventFrameEncoderTest {

    final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    final EventFrameEncoder encoder = new EventFrameEncoder(json);

    @Test
    void notificationFrame_carriesTheSendersExternalId_andLeavesItOutWhenThereIsNone() throws Exception {
        NotificationEvent created = json.readValue(Contracts.sample("notification-event-created.json"),
                NotificationEvent.class);
        String externalId = created.notification().path("external_id").asText();
        assertThat(externalId).as("the contract's created sample has an external_id").isNotBlank();

        String frame = encoder.forEvent(created);
        assertThat(Contracts.validate("NotificationFrame", frame)).isEmpty();
        JsonNode payload = json.readTree(frame).path("payload");
        assertThat(payload.path("external_id").asText()).isEqualTo(externalId);
        assertThat(payload.path("id").asText()).isEqualTo(created.notification().path("id").asText());

        ((ObjectNode) created.notification()).remove("external_id");
        String without = encoder.forEvent(created);
        assertThat(Contracts.validate("NotificationFrame", without)).isEmpty();
        assertThat(json.readTree(without).path("payload").has("external_id")).isFalse();
        ((ObjectNode) created.notification()).putNull("external_id");
        assertThat(json.readTree(encoder.forEvent(created)).path("payload").has("external_id")).isFalse();
    }

    @Test
    void resurfacedEvent_isANotificationFrameMarkedResurfaced_acknowledgeable_andTheSnoozeFrameCarriesItsTime()
            throws Exception {
        NotificationEvent resurfaced = json.readValue(Contracts.sample("notification-event-resurfaced.json"),
                NotificationEvent.class);
        JsonNode frame = json.readTree(encoder.forEvent(resurfaced));
        assertThat(Contracts.validate("NotificationFrame", frame.toString())).isEmpty();
        assertThat(frame.path("resurfaced").asBoolean()).isTrue();
        assertThat(frame.path("payload").path("read").asBoolean(true)).isFalse();
        assertThat(frame.path("seq").asLong()).as("the wake-up's place in the sequence").isEqualTo(resurfaced.seq());
        assertThat(resurfaced.pushedNotificationId()).as("acknowledged like a new one")
                .hasToString(frame.path("id").asText());
        NotificationEvent created = json.readValue(Contracts.sample("notification-event-created.json"),
                NotificationEvent.class);
        assertThat(json.readTree(encoder.forEvent(created)).has("resurfaced")).isFalse();

        NotificationEvent snoozed = json.readValue(Contracts.sample("notification-event-snoozed.json"),
                NotificationEvent.class);
        JsonNode snoozedFrame = json.readTree(encoder.forEvent(snoozed));
        assertThat(Contracts.validate("NotificationSnoozedFrame", snoozedFrame.toString())).isEmpty();
        assertThat(snoozedFrame.path("until").asText()).isEqualTo("2025-06-03T08:00:00Z");
    }
}

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
}

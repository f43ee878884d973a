package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.infra.contract.Contracts;

/** The gateway reads every event the contract describes (consumer side of contracts/asyncapi.yaml). */
class EventContractTest {

    final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @Test
    void everySampleEvent_deserializesWithWhatTheGatewayRoutesOn() throws Exception {
        for (String kind : List.of("created", "read", "all_read", "deleted", "preferences_updated", "all_seen", "archived",
                    "unarchived")) {
            NotificationEvent event = json.readValue(Contracts.sample("notification-event-" + kind + ".json"),
                    NotificationEvent.class);
            assertThat(event.kind()).isEqualTo(kind);
            assertThat(event.seq()).isPositive();
            assertThat(event.audience().type()).isNotBlank();
            if (kind.equals("created")) {
                assertThat(event.notification().path("title").asText()).isNotBlank();
                assertThat(event.notification().path("type").asText()).isNotBlank();
                assertThat(event.notification().path("priority").asText()).isNotBlank();
            } else {
                assertThat(event.audience().userIds()).hasSize(1);
            }
            if (kind.equals("preferences_updated")) {
                assertThat(event.preferences().path("types").isObject()).isTrue();
            }
        }
    }
}

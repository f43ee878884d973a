package io.notify.systemtests;

import static io.notify.infra.test.TestSocket.Carrier.SUBPROTOCOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.NotifyClient;
import io.notify.client.SentNotification;
import io.notify.client.TokenSource;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/**
 * A client of the seed's broadcast API matches notifications by its own id: the envelope's {@code payload.id} comes
 * back as {@code external_id} in the pushed frame and the inbox, and finds the notification again (issue 24).
 * Through the one origin, as a browser and a backend reach the suite.
 */
@ExtendWith(SuiteExtension.class)
class ExternalIdSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static Api api;

    @BeforeAll
    static void suite(Suite running) {
        api = new Api(running);
    }

    static NotifyClient sdk(String token) {
        return NotifyClient.builder(api.origin).tokenSource(TokenSource.fixed(token)).maxAttempts(1).build();
    }

    static ValidatableResponse lookUp(String token, String externalId) {
        return api.as(token).get("/api/notifications/external/{externalId}", externalId).then();
    }

    @Test
    void seedBroadcast_theFrameAndTheInboxCarryTheClientsId_andTheLookupFindsIt() {
        String admin = api.login("admin", "wkwkwk");
        String user1 = api.login("user1", "wkwkwk");
        String user2 = api.login("user2", "password2");
        String clientId = "n-" + UUID.randomUUID();
        String title = "All hands " + clientId;
        Map<String, Object> envelope = Map.of("id", "evt-" + clientId, "type", "notification", "payload",
                Map.of("id", clientId, "title", title, "message", "Quarterly all-hands", "type", "meeting",
                        "created_at", "2001-01-01T00:00:00Z", "read", true, "data", Map.of("room", "atrium")));

        try (TestSocket socket = api.socket(user1, SUBPROTOCOL)) {
            String id = api.post(admin, "/api/broadcast/company/company_a", envelope).statusCode(201)
                    .body("external_id", equalTo(clientId)).extract().path("id");

            JsonObject frame = socket.await(f -> Api.notificationTitled(f, title), WAIT);
            JsonObject payload = frame.getJsonObject("payload");
            assertThat(payload.getString("external_id")).isEqualTo(clientId);
            assertThat(payload.getString("id")).isEqualTo(id).isNotEqualTo(clientId);
            assertThat(payload.getBoolean("read")).as("the seed's read is ignored").isFalse();
            assertThat(payload.getString("created_at")).as("the seed's created_at is ignored").doesNotStartWith("2001");

            List<Map<String, Object>> items = api.as(user1).get("/api/notifications?limit=200").then().statusCode(200)
                    .extract().jsonPath().getList("items");
            assertThat(items).filteredOn(item -> id.equals(item.get("id")))
                    .singleElement().satisfies(item -> assertThat(item.get("external_id")).isEqualTo(clientId));

            lookUp(user1, clientId).statusCode(200).body("id", equalTo(id)).body("external_id", equalTo(clientId));
            // company_b's user: not addressed, so not found
            lookUp(user2, clientId).statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void sdkSend_withExternalId_reachesTheSocket_andTheSenderFindsItAgain() {
        String admin = api.login("admin", "wkwkwk");
        String user1 = api.login("user1", "wkwkwk");
        String clientId = "invoice-" + UUID.randomUUID();
        try (TestSocket socket = api.socket(user1, SUBPROTOCOL)) {
            SentNotification sent = api.send(admin, Notification.to(Audience.user(api.userId(user1)))
                    .title("Invoice paid").message("Invoice 7731 was paid").externalId(clientId).build());
            assertThat(sent.externalId()).isEqualTo(clientId);

            JsonObject frame = socket.await(f -> "notification".equals(f.getString("type"))
                    && clientId.equals(f.getJsonObject("payload").getString("external_id")), WAIT);
            assertThat(frame.getString("id")).isEqualTo(sent.id().toString());
            lookUp(user1, clientId).statusCode(200).body("read", equalTo(false));
            // the sender finds what it sent with the SDK; company_b's user finds nothing
            assertThat(sdk(admin).findByExternalId(clientId)).get().extracting(SentNotification::id).isEqualTo(sent.id());
            assertThat(sdk(api.login("user2", "password2")).findByExternalId(clientId)).isEmpty();
        }
    }
}

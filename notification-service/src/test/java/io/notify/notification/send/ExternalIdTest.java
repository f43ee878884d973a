package io.notify.notification.send;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.notify.notification.outbox.EventContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * The sender's own id for a notification ({@code external_id}; the seed envelope's {@code payload.id}) is kept:
 * in the send's answer, the inbox, the {@code created} event the gateways push, and a lookup by it that finds only
 * what the caller may see (issue 24).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ExternalIdTest {

    final Tenant t = new Tenant();
    final Tenant other = new Tenant();
    final String clientId = "n-" + UUID.randomUUID();

    @BeforeEach
    void directory() {
        FakeDirectory.install(); // a service account's user audience is checked against auth-service's directory
    }

    static String envelope(String envelopeId, String payloadId, String title) {
        return "{\"id\":\"" + envelopeId + "\",\"type\":\"notification\",\"payload\":{\"id\":\"" + payloadId
                + "\",\"title\":\"" + title + "\",\"message\":\"From the seed\",\"type\":\"meeting\","
                + "\"created_at\":\"2001-01-01T00:00:00Z\",\"read\":true,\"data\":{\"room\":\"atrium\"}}}";
    }

    static String withExternalId(String body, String externalId) {
        return body.replace("\"link\"", "\"external_id\":\"" + externalId + "\",\"link\"");
    }

    static ValidatableResponse lookUp(String token, String externalId) {
        String encoded = URLEncoder.encode(externalId, StandardCharsets.UTF_8).replace("+", "%20");
        return given().auth().oauth2(token).urlEncodingEnabled(false)
                .get("/api/notifications/external/" + encoded).then();
    }

    @Test
    void seedBroadcast_keepsThePayloadId_inTheAnswerTheInboxTheEventAndTheLookup() {
        String id = given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(envelope("evt-" + clientId, clientId, "All hands"))
                .post("/api/broadcast/company/" + t.company)
                .then().statusCode(201)
                .body("external_id", equalTo(clientId))
                .body("id", not(equalTo(clientId)))
                .body("created_at", not(equalTo("2001-01-01T00:00:00Z"))) // the seed's created_at is ignored
                .extract().path("id");

        JsonPath inbox = Tenant.inbox(t.member, Map.of());
        assertThat(inbox.getString("items[0].id")).isEqualTo(id);
        assertThat(inbox.getString("items[0].external_id")).isEqualTo(clientId);
        assertThat(inbox.getBoolean("items[0].read")).as("the seed's read is ignored").isFalse();

        String event = EventContractTest.awaitEvent("created", id);
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, event);
        assertThat(JsonPath.from(event).getString("notification.external_id")).isEqualTo(clientId);

        lookUp(t.member, clientId).statusCode(200).body("id", equalTo(id)).body("external_id", equalTo(clientId))
                .body("read", equalTo(false));
        // another company's member: as if it did not exist
        lookUp(other.member, clientId).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void restSend_externalIdInAnswerAndInbox_notificationsWithoutOneCarryNone() {
        String id = given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(withExternalId(body(userAudience(t.memberId), "Yours"), clientId))
                .post("/api/notifications")
                .then().statusCode(201).body("external_id", equalTo(clientId)).extract().path("id");
        String plain = t.send(body(userAudience(t.memberId), "Plain"));

        JsonPath inbox = Tenant.inbox(t.member, Map.of());
        assertThat(inbox.getList("items.id")).containsExactly(plain, id);
        assertThat(inbox.getString("items[1].external_id")).isEqualTo(clientId);
        assertThat(inbox.getMap("items[0]")).doesNotContainKey("external_id");
        assertThat(JsonPath.from(EventContractTest.awaitEvent("created", plain)).getMap("notification")).doesNotContainKey("external_id");
    }

    @Test
    void lookUp_findsTheNewestAddressedToTheCaller_neverAnotherTenantsOrAnotherUsers() {
        String older = t.send(withExternalId(body(t.companyAudience(), "First"), clientId));
        String newer = t.send(withExternalId(body(t.companyAudience(), "Second"), clientId));
        String toMember2 = t.send(withExternalId(body(userAudience(t.member2Id), "Only for member2"), clientId + "-x"));
        // another company's sender uses the same id: its readers find theirs, ours find ours
        String theirs = other.send(withExternalId(body(other.companyAudience(), "Theirs"), clientId));

        lookUp(t.member, clientId).statusCode(200).body("id", equalTo(newer)).body("title", equalTo("Second"));
        lookUp(other.member, clientId).statusCode(200).body("id", equalTo(theirs));
        lookUp(t.member, clientId + "-x").statusCode(404); // addressed to someone else
        lookUp(t.member2, clientId + "-x").statusCode(200).body("id", equalTo(toMember2));

        // a deleted one is not found; the older one with that id is
        given().auth().oauth2(t.member).delete("/api/notifications/" + newer).then().statusCode(204);
        lookUp(t.member, clientId).statusCode(200).body("id", equalTo(older));
        lookUp(t.member, "never-sent-" + clientId).statusCode(404).contentType("application/problem+json");

        // any characters but control ones, URL-encoded in the path
        String odd = "Ünïcode / spaces ?#%+ " + clientId;
        String oddOne = t.send(withExternalId(body(t.companyAudience(), "Odd"), odd));
        lookUp(t.member, odd).statusCode(200).body("id", equalTo(oddOne)).body("external_id", equalTo(odd));
    }

    @Test
    void sender_findsWhatItSent_withoutReadState() {
        String service = UUID.randomUUID().toString();
        String serviceToken = Tenant.serviceToken(service, Set.of(t.company));
        String id = Tenant.send(serviceToken, withExternalId(body(userAudience(t.memberId), "Invoice paid"), clientId));

        lookUp(serviceToken, clientId).statusCode(200).body("id", equalTo(id)).body("$", not(org.hamcrest.Matchers.hasKey("read")));
        lookUp(t.member, clientId).statusCode(200).body("id", equalTo(id)).body("read", equalTo(false));
        lookUp(Tenant.serviceToken(UUID.randomUUID().toString(), Set.of(t.company)), clientId).statusCode(404);
    }

    @Test
    void kafkaIntake_keepsTheExternalId() {
        String request = "{\"audience\":{\"type\":\"user\",\"user_ids\":[\"" + t.memberId + "\"]},\"title\":\"From Kafka\","
                + "\"message\":\"From a backend\",\"external_id\":\"" + clientId + "\"}";
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", t.memberId,
                request.getBytes(StandardCharsets.UTF_8)));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> lookUp(t.member, clientId).statusCode(200).body("title", equalTo("From Kafka")));
    }

    @Test
    void invalidExternalIds_are400s_namingTheField() {
        for (String bad : new String[] { "", "tab\\there", "x".repeat(201) }) {
            given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                    .body(withExternalId(body(userAudience(t.memberId), "Bad"), bad))
                    .post("/api/notifications")
                    .then().log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", hasItem("external_id"));
        }
        given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(envelope("evt-" + clientId, "bell\\u0007", "Bad"))
                .post("/api/broadcast/company/" + t.company)
                .then().log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("payload")));
        lookUp(t.member, "x".repeat(201)).statusCode(400).contentType("application/problem+json");
        assertThat(Tenant.titles(t.member)).isEmpty();
    }
}

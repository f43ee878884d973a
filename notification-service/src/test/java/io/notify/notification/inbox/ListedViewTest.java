package io.notify.notification.inbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every way a reader is shown a stored notification (the inbox page, the archived page, resume, the external-id
 * lookup) shows what its sender was answered, field for field, with the reader's own read state: what the inbox's
 * statements map their rows to ({@code InboxQueries#views}).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ListedViewTest {

    private static final List<String> FIELDS = List.of("id", "seq", "title", "message", "type", "priority", "data", "link",
            "sender", "created_at", "expires_at", "external_id", "actions");

    private final ObjectMapper json = new ObjectMapper();
    private final Tenant t = new Tenant();

    private JsonNode get(String token, String path, Map<String, ?> query) throws Exception {
        return json.readTree(given().auth().oauth2(token).queryParams(query).get(path).then().statusCode(200).extract()
                .asString());
    }

    @Test
    void thePageTheArchiveResumeAndTheExternalIdLookup_showWhatTheSenderWasAnswered_withTheReadersReadState()
            throws Exception {
        String expires = OffsetDateTime.now(ZoneOffset.ofHours(5)).plusDays(3).withNano(123_456_000).toString();
        String externalId = "n-" + t.company;
        String body = "{\"audience\":{\"type\":\"company\",\"company\":\"" + t.company + "\"},\"title\":\"Grüße \\\"quoted\\\"\","
                + "\"message\":\"Ünïcode ✓\",\"type\":\"approval\",\"priority\":\"high\",\"link\":\"https://example.test/a?b=c\","
                + "\"expires_at\":\"" + expires + "\",\"external_id\":\"" + externalId + "\",\"data\":{\"big\":"
                + Long.MIN_VALUE + ",\"ratio\":0.25,\"nested\":{\"list\":[1,\"two\",null,true]},\"empty\":{}},"
                + "\"actions\":[{\"id\":\"approve\",\"label\":\"Approve\",\"style\":\"primary\"},"
                + "{\"id\":\"reject\",\"label\":\"Reject\"}]}";
        JsonNode sent = json.readTree(given().auth().oauth2(t.admin).contentType(ContentType.JSON).body(body)
                .post("/api/notifications").then().statusCode(201).extract().asString());
        long before = sent.get("seq").asLong() - 1;

        JsonNode listed = get(t.member, "/api/notifications", Map.of()).get("items").get(0);
        assertSameAsSent(listed, sent);
        assertThat(listed.get("read").asBoolean()).isFalse();
        assertThat(listed.at("/audience/type").asText()).isEqualTo("company");
        assertThat(listed.at("/audience/company").asText()).isEqualTo(t.company);

        JsonNode replayed = get(t.member, "/api/notifications/resume", Map.of("after", before)).get("events").get(0);
        assertThat(replayed.get("kind").asText()).isEqualTo("created");
        assertSameAsSent(replayed.get("notification"), sent);
        assertThat(replayed.at("/notification/read").asBoolean()).isFalse();

        given().auth().oauth2(t.member).post("/api/notifications/" + sent.get("id").asText() + "/archive").then()
                .statusCode(204);
        JsonNode archived = get(t.member, "/api/notifications", Map.of("archived", true)).get("items").get(0);
        assertSameAsSent(archived, sent);
        assertThat(archived.get("read").asBoolean()).as("archiving marks read").isTrue();

        JsonNode byExternalId = get(t.member, "/api/notifications/external/" + externalId, Map.of());
        assertSameAsSent(byExternalId, sent);
        assertThat(byExternalId.get("read").asBoolean()).isTrue();

        JsonNode forOtherMember = get(t.member2, "/api/notifications", Map.of()).get("items").get(0);
        assertSameAsSent(forOtherMember, sent);
        assertThat(forOtherMember.get("read").asBoolean()).as("the other reader's own state").isFalse();
    }

    private void assertSameAsSent(JsonNode shown, JsonNode sent) {
        assertThat(sent.get("data").get("big").asLong()).isEqualTo(Long.MIN_VALUE);
        for (String field : FIELDS) {
            assertThat(shown.get(field)).as(field).isEqualTo(sent.get(field));
        }
        assertThat(shown.get("actions")).hasSize(2);
    }
}

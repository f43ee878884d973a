package io.notify.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class NotificationResourceTest {

    final Tenant t = new Tenant();
    final String company = t.company;
    final String otherCompany = t.otherCompany;
    final String memberId = t.memberId;
    final String outsiderId = t.outsiderId;
    final String admin = t.admin;
    final String member = t.member;
    final String outsider = t.outsider;

    static String body(String audience, String title) {
        return Tenant.body(audience, title);
    }

    String send(String token, String body) {
        return Tenant.send(token, body);
    }

    List<String> inboxTitles(String token) {
        return Tenant.titles(token);
    }

    @Test
    void companyNotification_reachesItsMembersOnly() {
        send(admin, body("{\"type\":\"company\",\"company\":\"" + company + "\"}", "Standup moved"));

        given().auth().oauth2(member).get("/api/notifications")
                .then().statusCode(200)
                .body("items.title", contains("Standup moved"))
                .body("items[0].type", equalTo("meeting"))
                .body("items[0].priority", equalTo("high"))
                .body("items[0].data.meeting_id", equalTo(42))
                .body("items[0].sender", equalTo("admin"))
                .body("items[0].read", equalTo(false))
                .body("items[0].seq", notNullValue());
        assertThat(inboxTitles(admin)).containsExactly("Standup moved");
        assertThat(inboxTitles(outsider)).isEmpty();
    }

    @Test
    void userNotification_reachesThatUserOnly_withoutRevealingRecipients() {
        send(admin, body("{\"type\":\"users\",\"user_ids\":[\"" + memberId + "\",\"" + outsiderId + "\"]}", "For two"));
        send(admin, body("{\"type\":\"user\",\"user_ids\":[\"" + memberId + "\"]}", "For one"));

        given().auth().oauth2(member).get("/api/notifications")
                .then().statusCode(200)
                .body("items.title", contains("For one", "For two"))
                .body("items[1].audience.type", equalTo("users"))
                .body("items[1].audience.user_ids", org.hamcrest.Matchers.nullValue());
        assertThat(inboxTitles(outsider)).containsExactly("For two");
        assertThat(inboxTitles(admin)).isEmpty();
    }

    @Test
    void inbox_pagesNewestFirstWithCursor_untilTheLastPage() {
        for (int i = 1; i <= 5; i++) {
            send(admin, body("{\"type\":\"company\",\"company\":\"" + company + "\"}", "n" + i));
        }
        JsonPath first = Tenant.inbox(member, Map.of("limit", 2));
        assertThat(first.getList("items.title")).containsExactly("n5", "n4");
        JsonPath second = Tenant.inbox(member, Map.of("limit", 2, "cursor", first.getString("next_cursor")));
        assertThat(second.getList("items.title")).containsExactly("n3", "n2");
        JsonPath last = Tenant.inbox(member, Map.of("limit", 2, "cursor", second.getString("next_cursor")));
        assertThat(last.getList("items.title")).containsExactly("n1");
        assertThat(last.getString("next_cursor")).isNull();
    }

    @Test
    void inbox_rejectsAForgedCursorAndABadLimit() {
        given().auth().oauth2(member).queryParam("cursor", "x12").get("/api/notifications")
                .then().statusCode(400).contentType("application/problem+json");
        given().log().ifValidationFails().auth().oauth2(member).queryParam("limit", 0).get("/api/notifications")
                .then().log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("limit")));
    }

    @Test
    void send_emitsCreatedEventWithSeqAndFullAudienceOnNotificationEvents() {
        String id = send(admin, body("{\"type\":\"user\",\"user_ids\":[\"" + memberId + "\"]}", "Evented"));

        ConsumerRecord<String, byte[]> record = KafkaRecords.awaitRecord("notification-events",
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(id));
        JsonPath event = JsonPath.from(new String(record.value(), StandardCharsets.UTF_8));
        assertThat(record.key()).isEqualTo(memberId);
        assertThat(event.getString("kind")).isEqualTo("created");
        assertThat(event.getInt("schema_version")).isEqualTo(1);
        assertThat(event.getList("audience.user_ids")).containsExactly(memberId);
        assertThat(event.getString("notification.title")).isEqualTo("Evented");
        assertThat(event.getLong("seq")).isEqualTo(event.getLong("notification.seq")).isPositive();
    }

    @Test
    void send_withSameIdempotencyKey_createsOneNotification() {
        String key = "retry-" + UUID.randomUUID();
        String request = body("{\"type\":\"company\",\"company\":\"" + company + "\"}", "Once")
                .replace("\"link\"", "\"idempotency_key\":\"" + key + "\",\"link\"");
        String id = send(admin, request);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(request)
                .post("/api/notifications")
                .then().statusCode(200).body("id", equalTo(id));
        assertThat(inboxTitles(member)).containsExactly("Once");
    }

    @Test
    void send_invalidRequest_answersProblemNamingEachField() {
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"audience\":{\"type\":\"company\"},\"title\":\"\",\"message\":\"m\",\"priority\":\"loud\"}")
                .post("/api/notifications")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("title")))
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("priority")))
                .body("violations.field", hasItem("audience.company"));
    }

    @Test
    void send_wrongTypes_andNulCharacters_answerProblemsNamingTheField() {
        // found by the OpenAPI fuzzer: an empty 400 for a wrong type, a 500 for a NUL PostgreSQL cannot store
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"audience\":{\"type\":\"everyone\"},\"title\":{},\"message\":\"m\"}")
                .post("/api/notifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("title"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("[null, null]")
                .post("/api/notifications")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(body("{\"type\":\"company\",\"company\":\"" + company + "\"}", "Nul\\u0000inside")
                        .replace("\"meeting_id\":42", "\"k\\u0000\":\"v\\u0000\""))
                .post("/api/notifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("data", "title"));
        assertThat(inboxTitles(member)).isEmpty();
    }

    @Test
    void send_malformedJson_answersProblem() {
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"audience\": ")
                .post("/api/notifications")
                .then().statusCode(400).contentType("application/problem+json");
    }

    // forged and broken tokens: TokenAttacksTest, one test per attack

    @Test
    void shouldRejectMissingToken() {
        given().get("/api/notifications").then().statusCode(401);
    }
}

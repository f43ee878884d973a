package io.notify.notification.actions;

import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Action buttons (issue 25): sent with a notification, completed once per reader, told to their tabs and the producer. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ActionsTest {

    static final String APPROVE_REJECT = """
            [{"id": "approve", "label": "Approve", "style": "primary"}, {"id": "reject", "label": "Reject"}]""";

    final Tenant t = new Tenant();

    static String withActions(String audience, String title, String actions) {
        return "{\"audience\":" + audience + ",\"title\":\"" + title + "\",\"message\":\"Please decide\",\"type\":\"approval\","
                + "\"actions\":" + actions + "}";
    }

    static ValidatableResponse complete(String token, String id, String actionId) {
        return given().auth().oauth2(token).post("/api/notifications/" + id + "/actions/" + actionId).then();
    }

    static ValidatableResponse sendRaw(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/notifications").then();
    }

    static List<String> events(String topic, String kind, String needle) {
        return KafkaRecords.readToEnd(topic, r -> {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            return value.contains("\"" + kind + "\"") && value.contains(needle);
        }).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void invalidActions_are400ProblemsNamingTheField() {
        Map<String, String> invalid = Map.of(
                "[{\"id\":\"a\",\"label\":\"A\"},{\"id\":\"b\",\"label\":\"B\"},{\"id\":\"c\",\"label\":\"C\"},"
                        + "{\"id\":\"d\",\"label\":\"D\"}]", "actions",
                "[{\"id\":\"same\",\"label\":\"A\"},{\"id\":\"same\",\"label\":\"B\"}]", "actions",
                "[{\"id\":\"long\",\"label\":\"" + "x".repeat(41) + "\"}]", "actions[0].label",
                "[{\"id\":\"bad-style\",\"label\":\"A\",\"style\":\"loud\"}]", "actions[0].style",
                "[{\"id\":\"has space\",\"label\":\"A\"}]", "actions[0].id",
                "[{\"label\":\"No id\"}]", "actions[0].id",
                "[null]", "actions[0]");
        invalid.forEach((actions, field) -> sendRaw(t.admin, withActions(userAudience(t.memberId), "Bad", actions))
                .statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(containsString(field))));
    }

    @Test
    void actions_areStoredWithTheirDefaultStyle_inTheAnswerTheInboxAndTheCreatedEvent() {
        String id = sendRaw(t.admin, withActions(userAudience(t.memberId), "Expense 42", APPROVE_REJECT)).statusCode(201)
                .body("actions.id", equalTo(List.of("approve", "reject")))
                .body("actions.style", equalTo(List.of("primary", "secondary"))).extract().path("id");

        JsonPath item = Tenant.inbox(t.member, Map.of());
        assertThat(item.getString("items[0].id")).isEqualTo(id);
        assertThat(item.getList("items[0].actions.label")).containsExactly("Approve", "Reject");
        assertThat(item.getMap("items[0]")).doesNotContainKey("completed_action");

        String created = awaitEvent("created", id);
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, created);
        assertThat(JsonPath.from(created).getList("notification.actions.style")).containsExactly("primary", "secondary");
        // one without actions has none in its view
        String plain = t.send(Tenant.body(userAudience(t.memberId), "Plain"));
        assertThat(Tenant.inbox(t.member, Map.of()).getMap("items.find { it.id == '" + plain + "' }"))
                .doesNotContainKey("actions");
    }

    @Test
    void complete_answersTheCompletion_repeatsAnswerTheSame_anotherIs409_andTheInboxShowsItPerReader() {
        String id = t.send(withActions(t.companyAudience(), "Shared approval", APPROVE_REJECT));

        JsonPath first = complete(t.member, id, "approve").statusCode(200).extract().jsonPath();
        assertThat(first.getString("action_id")).isEqualTo("approve");
        String completedAt = first.getString("completed_at");
        assertThat(completedAt).isNotBlank();

        complete(t.member, id, "approve").statusCode(200)
                .body("action_id", equalTo("approve")).body("completed_at", equalTo(completedAt));
        complete(t.member, id, "reject").statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409)).body("action_id", equalTo("approve"))
                .body("detail", containsString("approve"));

        complete(t.member, id, "escalate").statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("escalate"));
        complete(t.member, id, "bad%20id").statusCode(400).contentType("application/problem+json");
        complete(t.outsider, id, "approve").statusCode(404).contentType("application/problem+json");
        String plain = t.send(Tenant.body(userAudience(t.memberId), "No buttons"));
        complete(t.member, plain, "approve").statusCode(404);

        Map<String, Object> mine = Tenant.inbox(t.member, Map.of()).getMap("items.find { it.id == '" + id + "' }");
        assertThat(mine.get("completed_action")).isEqualTo(Map.of("action_id", "approve", "completed_at", completedAt));
        Map<String, Object> theirs = Tenant.inbox(t.member2, Map.of()).getMap("items.find { it.id == '" + id + "' }");
        assertThat(theirs).as("per reader").doesNotContainKey("completed_action");
        complete(t.member2, id, "reject").statusCode(200).body("action_id", equalTo("reject"));
    }

    @Test
    void aCompletion_isOneUserEvent_replayedByResume_andOneActionedEngagementEventForTheProducer() {
        JsonPath sent = sendRaw(t.admin, withActions(userAudience(t.memberId), "Approve leave", APPROVE_REJECT))
                .statusCode(201).extract().jsonPath();
        String id = sent.getString("id");
        long before = sent.getLong("seq") - 1;

        String completedAt = complete(t.member, id, "reject").statusCode(200).extract().path("completed_at");
        complete(t.member, id, "reject").statusCode(200); // a repeat tells nobody

        JsonPath event = JsonPath.from(awaitEvent("action_completed", id));
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, event.prettify());
        assertThat(event.getList("audience.user_ids")).containsExactly(t.memberId);
        assertThat(event.getString("notification_id")).isEqualTo(id);
        assertThat(event.getString("action_id")).isEqualTo("reject");
        assertThat(java.time.OffsetDateTime.parse(event.getString("occurred_at")).toInstant())
                .isEqualTo(java.time.OffsetDateTime.parse(completedAt).toInstant());

        // a later event of the same user: once it is out, a second action_completed would be before it
        given().auth().oauth2(t.member).post("/api/notifications/" + id + "/read").then().statusCode(204);
        awaitEvent("read", id);
        assertThat(events("notification-events", "action_completed", id)).hasSize(1);

        JsonPath resumed = given().auth().oauth2(t.member).queryParam("after", before).get("/api/notifications/resume")
                .then().statusCode(200).extract().jsonPath();
        assertThat(resumed.getList("events.kind")).containsSubsequence("created", "action_completed", "read");
        assertThat(resumed.getString("events.find { it.kind == 'action_completed' }.action_id")).isEqualTo("reject");

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> !events("notification-engagement", "actioned", id).isEmpty());
        List<String> actioned = events("notification-engagement", "actioned", id);
        assertThat(actioned).hasSize(1);
        Contracts.assertValid(Contracts.ENGAGEMENT_EVENT, actioned.get(0));
        JsonPath e = JsonPath.from(actioned.get(0));
        assertThat(e.getString("user_id")).isEqualTo(t.memberId);
        assertThat(e.getString("action_id")).isEqualTo("reject");
        assertThat(e.getString("sender_id")).isEqualTo(t.adminId);
        assertThat(e.getString("sender")).isNotBlank();
    }

    static String awaitEvent(String kind, String needle) {
        ConsumerRecord<String, byte[]> record = KafkaRecords.awaitRecord("notification-events", r -> {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            return KafkaRecords.isKind(value, kind) && value.contains(needle);
        });
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}

package io.notify.notification.inbox;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Read state, deletion, unread counts, filters and preferences: per user, on shared broadcasts. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class InboxStateTest {

    final Tenant t = new Tenant();

    void markRead(String token, String id, int status) {
        given().auth().oauth2(token).post("/api/notifications/" + id + "/read").then().statusCode(status);
    }

    void delete(String token, String id, int status) {
        given().auth().oauth2(token).delete("/api/notifications/" + id).then().statusCode(status);
    }

    /** The per-user event of this kind whose JSON contains {@code needle}. */
    static JsonPath event(String kind, String needle) {
        ConsumerRecord<String, byte[]> record = KafkaRecords.awaitRecord("notification-events", r -> {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            return KafkaRecords.isKind(value, kind) && value.contains(needle);
        });
        JsonPath event = JsonPath.from(new String(record.value(), StandardCharsets.UTF_8));
        assertThat(record.key()).as("per-user events are keyed by the user").isEqualTo(event.getString("audience.user_ids[0]"));
        return event;
    }

    @Test
    void markRead_onACompanyNotification_isPerUser_andTellsTheUsersOtherTabs() {
        String id = t.send(body(t.companyAudience(), "Shared"));

        markRead(t.member, id, 204);
        markRead(t.member, id, 204); // idempotent

        assertThat(Tenant.inbox(t.member, Map.of()).getBoolean("items[0].read")).isTrue();
        assertThat(Tenant.inbox(t.member2, Map.of()).getBoolean("items[0].read")).isFalse();
        assertThat(Tenant.unread(t.member).getLong("total")).isZero();
        assertThat(Tenant.unread(t.member2).getLong("total")).isEqualTo(1);

        JsonPath event = event("read", id);
        assertThat(event.getList("audience.user_ids")).containsExactly(t.memberId);
        assertThat(event.getLong("seq")).isPositive();
    }

    @Test
    void delete_removesItFromThisUsersInboxOnly() {
        String id = t.send(body(t.companyAudience(), "Delete me"));
        delete(t.member, id, 204);
        delete(t.member, id, 404);

        assertThat(Tenant.titles(t.member)).isEmpty();
        assertThat(Tenant.titles(t.member2)).containsExactly("Delete me");
        assertThat(event("deleted", id).getString("notification_id")).isEqualTo(id);
    }

    @Test
    void markAllRead_coversEverythingSoFar_withOneWatermark_andNotWhatComesAfter() {
        for (int i = 0; i < 3; i++) {
            t.send(body(t.companyAudience(), "Old " + i));
        }
        t.send(body(userAudience(t.memberId), "Old direct"));
        long watermark = given().auth().oauth2(t.member).post("/api/notifications/read-all")
                .then().statusCode(200).extract().jsonPath().getLong("read_up_to");
        t.send(body(t.companyAudience(), "New"));

        JsonPath unread = Tenant.unread(t.member);
        assertThat(unread.getLong("total")).isEqualTo(1);
        assertThat(Tenant.inbox(t.member, Map.of("unread", true)).getList("items.title")).containsExactly("New");
        assertThat(Tenant.unread(t.member2).getLong("total")).isEqualTo(4);
        JsonPath event = event("all_read", "\"read_up_to\":" + watermark);
        assertThat(event.getList("audience.user_ids")).containsExactly(t.memberId);
    }

    @Test
    void unreadCount_isPerPriority() {
        t.send(body(t.companyAudience(), "a", "info", "low"));
        t.send(body(t.companyAudience(), "b", "info", "normal"));
        t.send(body(userAudience(t.memberId), "c", "info", "normal"));
        t.send(body(t.companyAudience(), "d", "info", "urgent"));

        given().auth().oauth2(t.member).get("/api/notifications/unread-count").then().statusCode(200)
                .body("total", equalTo(4))
                .body("by_priority.low", equalTo(1))
                .body("by_priority.normal", equalTo(2))
                .body("by_priority.high", equalTo(0))
                .body("by_priority.urgent", equalTo(1))
                .body("capped", equalTo(false));
    }

    @Test
    void filters_andUrgentFirstOrder_pageThroughEverythingOnce() {
        t.send(body(t.companyAudience(), "u1", "warning", "urgent"));
        t.send(body(t.companyAudience(), "n1", "info", "normal"));
        t.send(body(userAudience(t.memberId), "h1", "meeting", "high"));
        t.send(body(t.companyAudience(), "u2", "meeting", "urgent"));
        t.send(body(t.companyAudience(), "l1", "info", "low"));

        assertThat(Tenant.inbox(t.member, Map.of("type", "info")).getList("items.title")).containsExactly("l1", "n1");
        assertThat(Tenant.inbox(t.member, Map.of("priority", "urgent")).getList("items.title"))
                .containsExactly("u2", "u1");

        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> query = new java.util.HashMap<>(Map.of("order", "urgent_first", "limit", 2));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonPath page = Tenant.inbox(t.member, query);
            seen.addAll(page.getList("items.title"));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        assertThat(seen).containsExactly("u2", "u1", "l1", "h1", "n1");

        given().auth().oauth2(t.member).queryParam("priority", "loud").get("/api/notifications")
                .then().statusCode(400).body("violations.field", hasItem(org.hamcrest.Matchers.containsString("priority")));
    }

    @Test
    void expiredNotifications_disappearFromInboxAndCount() {
        String past = OffsetDateTime.now().minusMinutes(1).toString();
        t.send(body(t.companyAudience(), "Gone").replace("\"link\"", "\"expires_at\":\"" + past + "\",\"link\""));
        t.send(body(t.companyAudience(), "Here"));
        assertThat(Tenant.titles(t.member)).containsExactly("Here");
        assertThat(Tenant.unread(t.member).getLong("total")).isEqualTo(1);
    }

    @Test
    void preferences_mutedTypeIsNotCountedUnread_butUrgentStillIs_andOtherTabsAreTold() {
        given().auth().oauth2(t.member).get("/api/notifications/preferences").then().statusCode(200)
                .body("types.meeting", equalTo(true)).body("types.mom_created", equalTo(true));
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body("{\"types\":{\"info\":false}}")
                .put("/api/notifications/preferences").then().statusCode(200)
                .body("types.info", equalTo(false)).body("types.meeting", equalTo(true));

        t.send(body(t.companyAudience(), "Muted", "info", "normal"));
        t.send(body(t.companyAudience(), "Urgent info", "info", "urgent"));
        t.send(body(t.companyAudience(), "Meeting", "meeting", "normal"));

        assertThat(Tenant.unread(t.member).getLong("total")).isEqualTo(2);
        assertThat(Tenant.unread(t.member2).getLong("total")).isEqualTo(3);
        assertThat(Tenant.titles(t.member)).contains("Muted"); // still listed, only not counted or pushed

        JsonPath event = event("preferences_updated", t.memberId);
        assertThat(event.getBoolean("preferences.types.info")).isFalse();
    }

    @Test
    void preferences_invalidType_answersProblemNamingIt() {
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body("{\"types\":{\"Not A Type\":false}}")
                .put("/api/notifications/preferences").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("types")));
    }
}

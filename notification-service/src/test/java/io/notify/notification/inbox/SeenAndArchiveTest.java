package io.notify.notification.inbox;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.notify.notification.inbox.InboxStateTest.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Seen vs read (one watermark, the badge's unseen count) and archive, per user, on shared broadcasts. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SeenAndArchiveTest {

    final Tenant t = new Tenant();

    static long markSeen(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/notifications/seen").then().statusCode(200).extract().jsonPath().getLong("seen_up_to");
    }

    static void archive(String token, String id, String action, int status) {
        given().auth().oauth2(token).post("/api/notifications/" + id + "/" + action).then().statusCode(status);
    }

    @Test
    void seen_isOneWatermark_separateFromRead_countedAsUnseen_andToldToTheUsersTabs() {
        t.send(body(t.companyAudience(), "Old 1"));
        t.send(body(userAudience(t.memberId), "Old 2"));
        assertThat(Tenant.unread(t.member).getLong("unseen")).isEqualTo(2);

        long watermark = markSeen(t.member, "{}");
        String fresh = t.send(body(t.companyAudience(), "New"));

        JsonPath count = Tenant.unread(t.member);
        assertThat(count.getLong("total")).as("seen is not read").isEqualTo(3);
        assertThat(count.getLong("unseen")).isEqualTo(1);
        assertThat(Tenant.unread(t.member2).getLong("unseen")).as("per user").isEqualTo(2);
        JsonPath event = event("all_seen", "\"seen_up_to\":" + watermark);
        assertThat(event.getList("audience.user_ids")).containsExactly(t.memberId);

        given().auth().oauth2(t.member).post("/api/notifications/" + fresh + "/read").then().statusCode(204);
        assertThat(Tenant.unread(t.member).getLong("unseen")).as("a read one is seen").isZero();
    }

    @Test
    void seen_upTo_neverMovesTheWatermarkBack_andAnUnchangedOneWritesNothing() {
        t.send(body(userAudience(t.memberId), "One"));
        long all = markSeen(t.member, "{}");
        assertThat(markSeen(t.member, "{\"up_to\": 1}")).as("never backwards").isEqualTo(all);
        assertThat(markSeen(t.member, "{}")).as("nothing new: the same watermark").isEqualTo(all);

        given().auth().oauth2(t.member).contentType(ContentType.JSON).body("{\"up_to\": -1}")
                .post("/api/notifications/seen").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("up_to")));
    }

    @Test
    void archive_takesItOutOfTheListAndCounts_listsItWithArchived_andUnarchiveBringsItBackRead() {
        String shared = t.send(body(t.companyAudience(), "Shared"));
        t.send(body(t.companyAudience(), "Kept"));

        archive(t.member, shared, "archive", 204);
        archive(t.member, shared, "archive", 204); // idempotent

        assertThat(Tenant.titles(t.member)).containsExactly("Kept");
        assertThat(Tenant.unread(t.member).getLong("total")).isEqualTo(1);
        JsonPath archived = Tenant.inbox(t.member, Map.of("archived", true));
        assertThat(archived.getList("items.title")).containsExactly("Shared");
        assertThat(archived.getBoolean("items[0].read")).as("archiving marks read").isTrue();
        assertThat(Tenant.inbox(t.member, Map.of("archived", true, "unread", true)).getList("items")).isEmpty();
        assertThat(Tenant.titles(t.member2)).as("only for this user").containsExactly("Kept", "Shared");
        assertThat(event("archived", shared).getList("audience.user_ids")).containsExactly(t.memberId);

        archive(t.member, shared, "unarchive", 204);
        assertThat(Tenant.titles(t.member)).containsExactly("Kept", "Shared");
        assertThat(Tenant.inbox(t.member, Map.of("archived", true)).getList("items")).isEmpty();
        assertThat(Tenant.unread(t.member).getLong("total")).as("still read").isEqualTo(1);
        assertThat(event("unarchived", shared).getString("notification_id")).isEqualTo(shared);
    }

    @Test
    void archive_ofSomeoneElsesNotification_is404_andTheArchivedListFollowsTheReadersCompany() {
        String direct = t.send(body(userAudience(t.member2Id), "For member2"));
        archive(t.member, direct, "archive", 404);
        archive(t.outsider, t.send(body(t.companyAudience(), "Company")), "archive", 404);
        archive(t.member, java.util.UUID.randomUUID().toString(), "unarchive", 404);

        String company = t.send(body(t.companyAudience(), "Archived by member"));
        archive(t.member, company, "archive", 204);
        String sameUserOtherCompany = TestTokens.token(t.memberId, "member", t.otherCompany, java.util.Set.of("user"));
        assertThat(Tenant.inbox(sameUserOtherCompany, Map.of("archived", true)).getList("items"))
                .as("no longer addressed to them").isEmpty();
    }

    @Test
    void resume_replaysSeenAndArchive() {
        String id = t.send(body(userAudience(t.memberId), "To archive"));
        long after = ResumeTest.resume(t.member, 0, 1000).getLong("last_seq");
        archive(t.member, id, "archive", 204);
        long watermark = markSeen(t.member, "{}");
        archive(t.member, id, "unarchive", 204);

        JsonPath missed = ResumeTest.resume(t.member, after, null);
        assertThat(missed.getList("events.kind")).containsExactly("archived", "all_seen", "unarchived");
        assertThat(missed.getLong("events[1].seen_up_to")).isEqualTo(watermark);
        given().auth().oauth2(t.member).get("/api/notifications/unread-count").then().statusCode(200)
                .body("unseen", equalTo(0));
    }
}

package io.notify.notification.inbox;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.notify.notification.outbox.EventContractTest.awaitEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * Snooze (issue 25): out of the list and the counts until its time, then back unread (even under a read-all
 * watermark), pushed again once however many instances poll, and replayed by resume.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SnoozeTest {

    final Tenant t = new Tenant();

    @Inject
    AgroalDataSource db;
    @Inject
    SnoozeWakeUps wakeUps;

    static ValidatableResponse snooze(String token, String id, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/notifications/" + id + "/snooze").then();
    }

    static String until(Duration fromNow) {
        return "{\"until\": \"" + OffsetDateTime.now(ZoneOffset.UTC).plus(fromNow) + "\"}";
    }

    static long total(String token) {
        return Tenant.unread(token).getLong("total");
    }

    @Test
    void snooze_hidesItFromTheListAndCounts_untilItsTime_thenItIsBackUnreadAndPushedAgain() throws SQLException {
        String shared = t.send(body(t.companyAudience(), "Shared"));
        t.send(body(t.companyAudience(), "Kept"));
        given().auth().oauth2(t.member).post("/api/notifications/" + shared + "/read").then().statusCode(204);

        snooze(t.member, shared, until(Duration.ofHours(1))).statusCode(204);
        assertThat(Tenant.titles(t.member)).containsExactly("Kept");
        assertThat(total(t.member)).isEqualTo(1);
        assertThat(Tenant.inbox(t.member, Map.of("unread", true)).getList("items.title")).containsExactly("Kept");
        assertThat(Tenant.titles(t.member2)).as("only for this user").containsExactly("Kept", "Shared");
        String snoozed = awaitEvent("snoozed", shared);
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, snoozed);
        assertThat(JsonPath.from(snoozed).getList("audience.user_ids")).containsExactly(t.memberId);

        snooze(t.member, shared, until(Duration.ofMillis(800))).statusCode(204); // snoozing again moves the time
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Tenant.titles(t.member).contains("Shared"));

        JsonPath inbox = Tenant.inbox(t.member, Map.of());
        assertThat(inbox.getList("items.title")).containsExactly("Kept", "Shared");
        assertThat(inbox.getBoolean("items[1].read")).as("back unread, though read before").isFalse();
        assertThat(total(t.member)).isEqualTo(2);
        String resurfaced = awaitEvent("resurfaced", shared);
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, resurfaced);
        JsonPath event = JsonPath.from(resurfaced);
        assertThat(event.getList("audience.user_ids")).containsExactly(t.memberId);
        assertThat(event.getBoolean("notification.read")).isFalse();
        assertThat(event.getString("notification.title")).isEqualTo("Shared");
        assertThat(resurfacedEvents(t.memberId, shared)).isEqualTo(1);
    }

    @Test
    void afterReadAll_aWokenOneIsUnreadAndListedUnread_andTheNextReadAllReadsIt() throws SQLException {
        String early = t.send(body(userAudience(t.memberId), "Early"));
        t.send(body(userAudience(t.memberId), "Other"));
        given().auth().oauth2(t.member).post("/api/notifications/read-all").then().statusCode(200);
        assertThat(total(t.member)).isZero();

        snooze(t.member, early, until(Duration.ofHours(1))).statusCode(204);
        dueNow(t.memberId, early);
        wakeUps.wakeDue(); // or the instance's own poller did: either way done when it returns

        JsonPath count = Tenant.unread(t.member);
        assertThat(count.getLong("total")).as("unread under the read-all watermark").isEqualTo(1);
        assertThat(count.getLong("by_priority.high")).isEqualTo(1);
        JsonPath unread = Tenant.inbox(t.member, Map.of("unread", true));
        assertThat(unread.getList("items.title")).containsExactly("Early");
        assertThat(unread.getBoolean("items[0].read")).isFalse();
        assertThat(Tenant.inbox(t.member, Map.of()).getList("items.read")).containsExactly(true, false);

        given().auth().oauth2(t.member).post("/api/notifications/read-all").then().statusCode(200);
        assertThat(total(t.member)).isZero();
        assertThat(Tenant.inbox(t.member, Map.of("unread", true)).getList("items")).isEmpty();

        // and one by one: woken again, then read
        snooze(t.member, early, until(Duration.ofHours(1))).statusCode(204);
        dueNow(t.memberId, early);
        wakeUps.wakeDue();
        assertThat(total(t.member)).isEqualTo(1);
        given().auth().oauth2(t.member).post("/api/notifications/" + early + "/read").then().statusCode(204);
        assertThat(total(t.member)).isZero();
        assertThat(Tenant.inbox(t.member, Map.of()).getList("items.read")).containsExactly(true, true);
    }

    /** A snoozed one back is news: unseen again (the badge counts it) though under the seen watermark, until seen again. */
    @Test
    void aWokenOne_isUnseenAgainUnderTheSeenWatermark_untilSeenAgain() throws SQLException {
        String early = t.send(body(userAudience(t.memberId), "Early"));
        t.send(body(userAudience(t.memberId), "Later"));
        markSeen(t.member);
        assertThat(Tenant.unread(t.member).getLong("unseen")).isZero();

        snooze(t.member, early, until(Duration.ofHours(1))).statusCode(204);
        dueNow(t.memberId, early);
        wakeUps.wakeDue();

        JsonPath count = Tenant.unread(t.member);
        assertThat(count.getLong("total")).isEqualTo(2);
        assertThat(count.getLong("unseen")).as("back from the snooze: unseen").isEqualTo(1);
        markSeen(t.member);
        assertThat(Tenant.unread(t.member).getLong("unseen")).as("seen again").isZero();
        assertThat(Tenant.unread(t.member).getLong("total")).isEqualTo(2);
    }

    private static void markSeen(String token) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/api/notifications/seen").then()
                .statusCode(200);
    }

    @Test
    void racingPollers_wakeEachSnoozedNotificationOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = t.send(body(userAudience(t.memberId), "Race " + i));
            snooze(t.member, id, until(Duration.ofHours(1))).statusCode(204);
            ids.add(id);
        }
        assertThat(Tenant.titles(t.member)).isEmpty();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE inbox_marks SET snoozed_until = now() WHERE user_id = ?")) {
            s.setString(1, t.memberId);
            assertThat(s.executeUpdate()).isEqualTo(12);
        }
        ExecutorService pollers = Executors.newFixedThreadPool(4); // and the instance's own poller
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pollers.submit((Callable<Integer>) wakeUps::wakeDue));
            }
            for (Future<Integer> run : runs) {
                run.get();
            }
        } finally {
            pollers.shutdown();
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Tenant.titles(t.member).size() == 12);
        assertThat(total(t.member)).isEqualTo(12);
        for (String id : ids) {
            assertThat(resurfacedEvents(t.memberId, id)).as("woken once: %s", id).isEqualTo(1);
        }
    }

    @Test
    void unsnooze_bringsItBackAsItWas_withoutAPush() throws SQLException {
        String id = t.send(body(userAudience(t.memberId), "Back early"));
        snooze(t.member, id, until(Duration.ofHours(1))).statusCode(204);
        assertThat(Tenant.titles(t.member)).isEmpty();
        assertThat(total(t.member)).isZero();

        given().auth().oauth2(t.member).post("/api/notifications/" + id + "/unsnooze").then().statusCode(204);
        given().auth().oauth2(t.member).post("/api/notifications/" + id + "/unsnooze").then().statusCode(204);
        assertThat(Tenant.titles(t.member)).containsExactly("Back early");
        assertThat(total(t.member)).isEqualTo(1);
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, awaitEvent("unsnoozed", id));
        wakeUps.wakeDue();
        assertThat(resurfacedEvents(t.memberId, id)).isZero();
    }

    @Test
    void badUntil_is400NamingIt_andSomeoneElsesNotification_is404() {
        String id = t.send(body(userAudience(t.memberId), "Mine"));
        for (String bad : List.of(until(Duration.ofMinutes(-1)), until(Duration.ofDays(31)),
                "{\"until\": \"tomorrow\"}", "{\"until\": \"2026-13-01T00:00:00Z\"}", "{}")) {
            JsonPath problem = snooze(t.member, id, bad).log().ifValidationFails().statusCode(400)
                    .contentType("application/problem+json").extract().jsonPath();
            // a value out of range is a violation; one that is not a date at all is named as send_at's is
            assertThat(problem.getString("field") != null ? List.of(problem.getString("field"))
                    : problem.getList("violations.field")).as(bad).containsExactly("until");
        }
        snooze(t.member, id, until(Duration.ofDays(29))).statusCode(204);

        String forMember2 = t.send(body(userAudience(t.member2Id), "Theirs"));
        snooze(t.member, forMember2, until(Duration.ofHours(1))).statusCode(404)
                .contentType("application/problem+json");
        snooze(t.outsider, t.send(body(t.companyAudience(), "Company")), until(Duration.ofHours(1))).statusCode(404);
        snooze(t.member, UUID.randomUUID().toString(), until(Duration.ofHours(1))).statusCode(404);
        given().auth().oauth2(t.member).post("/api/notifications/" + forMember2 + "/unsnooze").then().statusCode(404);
        assertThat(Tenant.titles(t.member2)).as("untouched").containsExactly("Company", "Theirs");
    }

    @Test
    void resume_replaysTheSnoozeAndTheWakeUp() throws SQLException {
        String id = t.send(body(userAudience(t.memberId), "Later"));
        long after = ResumeTest.resume(t.member, 0, 1000).getLong("last_seq");
        snooze(t.member, id, until(Duration.ofHours(1))).statusCode(204);
        dueNow(t.memberId, id);
        wakeUps.wakeDue();

        JsonPath missed = ResumeTest.resume(t.member, after, null);
        assertThat(missed.getList("events.kind")).containsExactly("snoozed", "resurfaced");
        assertThat(missed.getString("events[0].notification_id")).isEqualTo(id);
        assertThat(missed.getString("events[0].snoozed_until")).isNotNull();
        assertThat(missed.getString("events[1].notification.id")).isEqualTo(id);
        assertThat(missed.getBoolean("events[1].notification.read")).isFalse();
        assertThat(missed.getLong("events[1].seq")).isGreaterThan(missed.getLong("events[0].seq"));
    }

    /** As if the snooze's time had come. */
    private void dueNow(String userId, String id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE inbox_marks SET snoozed_until = now() WHERE user_id = ? AND notification_id = ?::uuid")) {
            s.setString(1, userId);
            s.setString(2, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private long resurfacedEvents(String userId, String id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM user_events WHERE user_id = ? AND kind = 'resurfaced' AND payload LIKE ?")) {
            s.setString(1, userId);
            s.setString(2, "%\"id\":\"" + id + "\"%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

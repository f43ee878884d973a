package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.infra.test.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * Snooze (issue 25) through the running suite with two notification-service instances polling for wake-ups: snoozed
 * in one tab, it leaves the other tab (on the other gateway) and the counts; at its time it comes back once, unread,
 * as a {@code notification} frame with {@code resurfaced: true} on both tabs; a resume replays both changes.
 */
class SnoozeSystemTest extends TwoStores.Test {

    static final Duration WAIT = Duration.ofSeconds(30);

    static boolean resurfaced(JsonObject frame, String id) {
        return "notification".equals(frame.getString("type")) && id.equals(frame.getString("id"))
                && Boolean.TRUE.equals(frame.getBoolean("resurfaced"));
    }

    @Test
    void snoozedInOneTab_leavesTheOtherGatewaysTab_andComesBackOnceUnreadOnBoth() {
        String username = api.newUser(admin, "company_a", "user");
        String user = api.login(username, Api.NEW_USER_PASSWORD);
        String userId = api.userId(user);
        String title = "Snooze me " + UUID.randomUUID();
        try (TestSocket tabA = api.onGateway(0, user); TestSocket tabB = api.onGateway(1, user)) {
            String id = api.send(admin, Notification.to(Audience.user(userId)).title(title).message("m").type("info")
                    .build()).id().toString();
            long before = tabA.await(f -> Api.notificationTitled(f, title), WAIT).getLong("seq");
            tabB.await(f -> Api.notificationTitled(f, title), WAIT);
            // the new user's company also gets other tests' company and everyone sends: counts relative to now
            long unread = unread(api, user);

            Instant until = Instant.now().plusSeconds(3);
            api.post(user, "/api/notifications/" + id + "/snooze", Map.of("until", until.toString())).statusCode(204);
            JsonObject snoozed = tabB.await(f -> "notification_snoozed".equals(f.getString("type"))
                    && id.equals(f.getString("notification_id")), WAIT);
            assertThat(Instant.parse(snoozed.getString("until"))).isEqualTo(until);
            assertThat(api.as(user).get("/api/notifications").then().statusCode(200).extract().jsonPath()
                    .getList("items.id", String.class)).as("hidden while snoozed").doesNotContain(id);
            assertThat(unread(api, user)).as("out of the count while snoozed").isEqualTo(unread - 1);

            JsonObject backA = tabA.await(f -> resurfaced(f, id), WAIT);
            assertThat(Instant.now()).as("not before its time").isAfterOrEqualTo(until);
            tabB.await(f -> resurfaced(f, id), WAIT);
            assertThat(backA.getJsonObject("payload").getBoolean("read")).isFalse();
            assertThat(backA.getJsonObject("payload").getString("title")).isEqualTo(title);
            // both instances poll every 250 ms: a second wake-up would have been pushed by now
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(
                    () -> count(tabA.received(), id) == 1 && count(tabB.received(), id) == 1);

            var inbox = api.as(user).get("/api/notifications").then().statusCode(200).extract().jsonPath();
            assertThat(inbox.getList("items.id", String.class)).contains(id);
            assertThat(inbox.getBoolean("items.find { it.id == '" + id + "' }.read")).as("back unread").isFalse();
            assertThat(unread(api, user)).as("back in the count").isEqualTo(unread);

            try (TestSocket later = api.onGateway(1, user)) {
                later.send("{\"type\":\"resume\",\"ref\":\"r1\",\"last_seq\":" + before + "}");
                later.await(f -> "resumed".equals(f.getString("type")) && "r1".equals(f.getString("ref")), WAIT);
                List<String> replayed = later.received().stream()
                        .map(f -> f.getString("type") + (resurfaced(f, id) ? "+resurfaced" : "")).toList();
                assertThat(replayed).containsSubsequence("notification_snoozed", "notification+resurfaced", "resumed");
            }
        }
    }

    private static long count(List<JsonObject> frames, String id) {
        return frames.stream().filter(f -> resurfaced(f, id)).count();
    }

    static long unread(Api api, String token) {
        return api.as(token).get("/api/notifications/unread-count").then().statusCode(200).extract().jsonPath()
                .getLong("total");
    }
}

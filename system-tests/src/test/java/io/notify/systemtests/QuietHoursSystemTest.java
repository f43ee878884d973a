package io.notify.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.Priority;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.PrometheusText;
import io.notify.infra.test.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * Quiet hours (issue 25) through the running suite: a user whose quiet hours cover now gets a notification that is
 * not urgent with {@code "silent": true} and an urgent one without; a user without quiet hours gets neither silent;
 * quiet hours set or removed while a socket is open on the second gateway apply to it at once, without a reconnect.
 */
@ExtendWith(SuiteExtension.class)
class QuietHoursSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static Api api;
    static String admin;

    @BeforeAll
    static void suite(Suite running) {
        api = new Api(running);
        admin = api.login("admin", "wkwkwk");
    }

    /** Quiet hours in Berlin from an hour ago to two hours ahead (across midnight when that is where now is). */
    static Map<String, Object> quietNow() {
        ZonedDateTime now = ZonedDateTime.now(BERLIN);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        return Map.of("types", Map.of(), "quiet_hours", Map.of("start", now.minusHours(1).format(hhmm),
                "end", now.plusHours(2).format(hhmm), "timezone", BERLIN.getId()));
    }

    static String newUser() {
        return api.login(api.newUser(admin, "company_a", "user"), Api.NEW_USER_PASSWORD);
    }

    static JsonObject pushed(TestSocket socket, String userId, String title, Priority priority) {
        api.send(admin, Notification.to(Audience.user(userId)).title(title).message("m").type("info").priority(priority).build());
        return socket.await(f -> Api.notificationTitled(f, title), WAIT);
    }

    static long unread(String token) {
        return api.as(token).get("/api/notifications/unread-count").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    static void awaitPreferencesUpdated(TestSocket socket, boolean withQuietHours) {
        socket.await(f -> "preferences_updated".equals(f.getString("type"))
                && f.getJsonObject("preferences").containsKey("quiet_hours") == withQuietHours, WAIT);
    }

    @Test
    void inQuietHours_pushesAreSilent_butUrgentOnesAreNot_andOthersAreUnaffected() {
        String quiet = newUser();
        String loud = newUser();
        api.as(quiet).contentType("application/json").body(quietNow()).put("/api/notifications/preferences").then()
                .statusCode(200);
        String run = UUID.randomUUID().toString();
        try (TestSocket quietSocket = api.onGateway(0, quiet); TestSocket loudSocket = api.onGateway(0, loud)) {
            URI gateway = api.suite.uri(api.suite.gateways().get(0));
            Awaitility.await().atMost(WAIT).until(() -> PrometheusText.value(given().baseUri(gateway.toString())
                    .get("/q/metrics").then().statusCode(200).extract().asString(), "notify_gateway_preferences_pending") == 0);

            long unreadBefore = unread(quiet);
            JsonObject normal = pushed(quietSocket, api.userId(quiet), "Quiet " + run, Priority.NORMAL);
            assertThat(normal.getBoolean("silent")).as(normal.encode()).isTrue();
            JsonObject urgent = pushed(quietSocket, api.userId(quiet), "Urgent " + run, Priority.URGENT);
            assertThat(urgent.containsKey("silent")).as("urgent is never silent: " + urgent.encode()).isFalse();
            JsonObject other = pushed(loudSocket, api.userId(loud), "Loud " + run, Priority.NORMAL);
            assertThat(other.containsKey("silent")).as(other.encode()).isFalse();
            assertThat(unread(quiet)).as("stored and counted as usual").isEqualTo(unreadBefore + 2);
        }
    }

    @Test
    void quietHoursChanged_applyOnTheSecondGateway_withoutAReconnect() {
        String user = newUser();
        String userId = api.userId(user);
        String run = UUID.randomUUID().toString();
        try (TestSocket socket = api.onGateway(1, user)) {
            assertThat(pushed(socket, userId, "Before " + run, Priority.NORMAL).containsKey("silent")).isFalse();

            api.as(user).contentType("application/json").body(quietNow()).put("/api/notifications/preferences").then()
                    .statusCode(200);
            awaitPreferencesUpdated(socket, true);
            JsonObject during = pushed(socket, userId, "During " + run, Priority.NORMAL);
            assertThat(during.getBoolean("silent")).as(during.encode()).isTrue();

            api.as(user).delete("/api/notifications/preferences/quiet-hours").then().statusCode(200);
            awaitPreferencesUpdated(socket, false);
            assertThat(pushed(socket, userId, "After " + run, Priority.NORMAL).containsKey("silent")).isFalse();
        }
    }
}

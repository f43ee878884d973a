package io.notify.systemtests;

import static io.notify.infra.test.TestSocket.Carrier.SUBPROTOCOL;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.ForbiddenException;
import io.notify.client.Notification;
import io.notify.client.Priority;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.PrometheusText;
import io.notify.infra.test.TestSocket;

/** The store end to end: the seed's broadcast API, who may send, and no loss between commit and Kafka. */
@ExtendWith(SuiteExtension.class)
class StoreSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static Api api;

    @BeforeAll
    static void suite(Suite running) {
        api = new Api(running);
    }

    static Map<String, Object> envelope(String title) {
        String id = UUID.randomUUID().toString();
        return Map.of("id", id, "type", "notification", "payload", Map.of("id", id, "title", title,
                "message", "Quarterly all-hands", "type", "meeting", "created_at", "2026-11-21T10:00:00Z",
                "read", false, "data", Map.of("room", "atrium")));
    }

    @Test
    void seedBroadcastToCompanyA_reachesUser1sSocket_andNotUser2s() {
        String admin = api.login("admin", "wkwkwk");
        String title = "All hands " + UUID.randomUUID();
        try (TestSocket user1 = api.socket(api.login("user1", "wkwkwk"), SUBPROTOCOL);
                TestSocket user2 = api.socket(api.login("user2", "password2"), SUBPROTOCOL)) {
            api.post(admin, "/api/broadcast/company/company_a", envelope(title)).statusCode(201);
            user1.await(f -> Api.notificationTitled(f, title), WAIT);

            String marker = "Marker " + UUID.randomUUID();
            api.post(admin, "/api/broadcast/company/company_b", envelope(marker)).statusCode(201);
            user2.await(f -> Api.notificationTitled(f, marker), WAIT);
            assertThat(user2.received()).noneMatch(f -> Api.notificationTitled(f, title));
        }
    }

    @Test
    void user_maySendToAColleague_butNotToAnotherCompany_checkedAgainstTheRealDirectory() {
        String user1 = api.login("user1", "wkwkwk");
        String admin = api.login("admin", "wkwkwk");
        String user2 = api.login("user2", "password2");
        String title = "Lunch? " + UUID.randomUUID();
        api.send(user1, Notification.to(Audience.user(api.userId(admin))).title(title).message("12:30 downstairs").build());
        api.as(admin).get("/api/notifications").then().statusCode(200).body("items.title", hasItem(title));

        Notification toUser2 = Notification.to(Audience.user(api.userId(user2))).title("Cross-tenant").message("m").build();
        assertThatThrownBy(() -> api.send(user1, toUser2)).isInstanceOf(ForbiddenException.class);
        Notification toNobody = Notification.to(Audience.user("not-a-user-id")).title("Nobody").message("m").build();
        assertThatThrownBy(() -> api.send(user1, toNobody)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void aTypeSwitchedOff_isNotPushedNorCounted_butUrgentGetsThrough() {
        String admin = api.login("admin", "wkwkwk");
        String user1 = api.login("user1", "wkwkwk");
        String run = UUID.randomUUID().toString();
        try (TestSocket socket = api.socket(user1, SUBPROTOCOL)) {
            switchMomCreated(user1, false);
            long unreadBefore = api.as(user1).get("/api/notifications/unread-count").then().statusCode(200)
                    .extract().jsonPath().getLong("total");
            assertMomCreatedMutedButUrgentPushed(socket, admin, api.userId(user1), run);
            assertThat(api.as(user1).get("/api/notifications/unread-count").then().statusCode(200)
                    .extract().jsonPath().getLong("total")).isEqualTo(unreadBefore + 2);
        } finally {
            switchMomCreated(user1, true);
        }
    }

    /**
     * Switched off before the socket opened: the gateway loads the user's muted types from the store when their
     * first socket opens (a batch of the users whose sockets opened, {@code POST /api/notifications/preferences/muted}
     * with each user's token) and does not push that type.
     */
    @Test
    void aTypeSwitchedOffBeforeTheSocketOpened_isNotPushed_butUrgentGetsThrough() {
        String admin = api.login("admin", "wkwkwk");
        String user1 = api.login("user1", "wkwkwk");
        String run = UUID.randomUUID().toString();
        switchMomCreated(user1, false);
        try (TestSocket socket = api.onGateway(0, user1)) {
            URI gateway = api.suite.uri(api.suite.gateways().get(0));
            Awaitility.await().atMost(WAIT).until(() -> PrometheusText.value(given().baseUri(gateway.toString())
                    .get("/q/metrics").then().statusCode(200).extract().asString(), "notify_gateway_preferences_pending") == 0);
            assertMomCreatedMutedButUrgentPushed(socket, admin, api.userId(user1), run);
        } finally {
            switchMomCreated(user1, true);
        }
    }

    private static void switchMomCreated(String token, boolean on) {
        api.as(token).contentType("application/json").body(Map.of("types", Map.of("mom_created", on)))
                .put("/api/notifications/preferences").then().statusCode(200);
    }

    /** A muted mom_created is not pushed to {@code socket}, an urgent one is. */
    private static void assertMomCreatedMutedButUrgentPushed(TestSocket socket, String admin, String userId, String run) {
        for (String[] n : new String[][] { { "Muted " + run, "normal" }, { "Urgent " + run, "urgent" } }) {
            api.send(admin, Notification.to(Audience.user(userId)).title(n[0]).message("m").type("mom_created")
                    .priority(Priority.valueOf(n[1].toUpperCase(java.util.Locale.ROOT))).build());
        }
        String marker = "Marker " + run;
        api.send(admin, Notification.to(Audience.user(userId)).title(marker).message("m").type("info").build());

        // one ordered event stream: once the marker is pushed, everything before it was handled
        socket.await(f -> Api.notificationTitled(f, marker), WAIT);
        assertThat(socket.received()).anyMatch(f -> Api.notificationTitled(f, "Urgent " + run))
                .noneMatch(f -> Api.notificationTitled(f, "Muted " + run));
    }

    /**
     * The transactional outbox: a notification stored while Kafka is down, by a notification-service
     * that is then killed before it could relay anything, still reaches the socket once both are back.
     */
    @Test
    void storedWhileKafkaIsDown_andServiceKilledBeforeRelaying_stillReachesTheSocket() {
        Suite suite = api.suite;
        String admin = api.login("admin", "wkwkwk");
        String user1 = api.login("user1", "wkwkwk");
        String title = "Survives " + UUID.randomUUID();
        try (TestSocket socket = api.socket(user1, SUBPROTOCOL)) {
            suite.kafka().kill();
            api.send(admin, Notification.to(Audience.user(api.userId(user1))).title(title).message("m").build());
            suite.service("notification-service").kill();

            suite.startKafka();
            suite.startService("notification-service");

            socket.await(f -> Api.notificationTitled(f, title), Duration.ofSeconds(90));
            Awaitility.await().atMost(WAIT).untilAsserted(() -> api.as(user1).get("/api/notifications")
                    .then().statusCode(200).body("items.title", hasItem(title)));
        }
    }
}

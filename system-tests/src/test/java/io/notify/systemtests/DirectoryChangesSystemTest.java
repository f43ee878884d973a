package io.notify.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.infra.test.TestSocket;
import io.restassured.http.ContentType;

/**
 * An admin's change to a user takes effect everywhere within 2 s, on two gateways and two notification-service
 * instances, whatever the user's still-valid access token says: auth-service publishes it on {@code user-changes}
 * (from its outbox), the gateways close or re-route the user's open sockets, and each store instance judges the token
 * by it.
 */
class DirectoryChangesSystemTest extends TwoStores.Test {

    static final Duration WITHIN = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aDisabledUser_losesTheirSocketsOnBothGateways_andTheirTokenOnBothStores_withinTwoSeconds() throws Exception {
        String username = newUser("company_a", "user");
        String token = api.login(username, Api.NEW_USER_PASSWORD);
        String id = api.userId(token);
        for (String store : stores()) {
            inbox(store, token, 200);
        }
        try (TestSocket onA = api.onGateway(0, token); TestSocket onB = api.onGateway(1, token)) {
            long disabledAt = System.nanoTime();
            patch("/api/auth/users/" + id, Map.of("enabled", false));

            assertThat(onA.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo((short) 1008);
            assertThat(onB.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo((short) 1008);
            for (String store : stores()) {
                Awaitility.await().atMost(WAIT).untilAsserted(() -> inbox(store, token, 401));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - disabledAt)).isLessThan(WITHIN);
        }
        api.as(token).get("/api/auth/me").then().statusCode(401);
        for (String gateway : suite.gateways()) {
            assertThat(TestSocket.upgradeStatus(suite.uri(gateway), "/api/ws", token, TestSocket.Carrier.QUERY))
                    .isEqualTo(401);
        }
    }

    @Test
    void aUserMovedToCompanyA_getsItsNextBroadcastOnTheOpenSocket_andItsInboxIsCompanyAsOnBothStores() {
        String username = newUser("company_b", "user");
        String token = api.login(username, Api.NEW_USER_PASSWORD);
        String id = api.userId(token);
        String before = "Company A before the move " + UUID.randomUUID();
        String oldCompany = "Company B before the move " + UUID.randomUUID();
        send(Audience.company("company_a"), before);
        send(Audience.company("company_b"), oldCompany);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(titles(suite.uri("notification-service").toString(), token))
                .contains(oldCompany));

        try (TestSocket socket = api.onGateway(1, token)) {
            long movedAt = System.nanoTime();
            patch("/api/auth/users/" + id, Map.of("company", "company_a"));
            socket.await(f -> "identity_changed".equals(f.getString("type")) && "company_a".equals(f.getString("company")),
                    WAIT);
            for (String store : stores()) {
                Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(titles(store, token))
                        .contains(before).doesNotContain(oldCompany));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - movedAt)).isLessThan(WITHIN);

            String next = "Company A after the move " + UUID.randomUUID();
            send(Audience.company("company_a"), next);
            socket.await(f -> Api.notificationTitled(f, next), WAIT);
        }
    }

    @Test
    void aUserMadeAdmin_getsAdminBroadcastsOnTheOpenSocket() {
        String username = newUser("company_a", "user");
        String token = api.login(username, Api.NEW_USER_PASSWORD);
        String id = api.userId(token);
        try (TestSocket socket = api.onGateway(0, token)) {
            patch("/api/auth/users/" + id, Map.of("roles", List.of("user", "admin")));
            socket.await(f -> "identity_changed".equals(f.getString("type")), WAIT);
            String forAdmins = "Admins of company A " + UUID.randomUUID();
            send(Audience.role("admin", "company_a"), forAdmins);
            socket.await(f -> Api.notificationTitled(f, forAdmins), WAIT);
        }
    }

    static String newUser(String company, String role) {
        return api.newUser(admin, company, role);
    }

    static void patch(String path, Map<String, Object> body) {
        api.as(admin).contentType(ContentType.JSON).body(body).patch(path).then().statusCode(200);
    }

    static void send(Audience audience, String title) {
        assertThat(api.send(admin, Notification.to(audience).title(title).message("m").build()).created()).isTrue();
    }

    static void inbox(String store, String token, int status) {
        given().baseUri(store).auth().oauth2(token).get("/api/notifications").then().statusCode(status);
    }

    static List<String> titles(String store, String token) {
        return given().baseUri(store).auth().oauth2(token).queryParam("limit", 100).get("/api/notifications")
                .then().statusCode(200).extract().jsonPath().getList("items.title");
    }
}

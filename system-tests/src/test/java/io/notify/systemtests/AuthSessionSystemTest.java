package io.notify.systemtests;

import static io.notify.infra.test.TestSocket.Carrier.SUBPROTOCOL;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * Sessions end to end, through the one origin: a refreshed access token is accepted by
 * notification-service and by the gateway (they verify it against auth-service's JWKS), a
 * logged-out refresh token is refused (a replayed one: AttacksSystemTest), and a service account's token reads the
 * user directory within its companies only.
 */
@ExtendWith(SuiteExtension.class)
class AuthSessionSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String USER1_ID = "00000000-0000-4000-8000-00000000a002";
    static final String USER2_ID = "00000000-0000-4000-8000-00000000b001";
    static URI origin;

    @BeforeAll
    static void suite(Suite running) {
        origin = running.origin();
    }

    static RequestSpecification api() {
        return given().baseUri(origin.toString());
    }

    static Map<String, Object> login(String username, String password) {
        return api().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/auth/login").then().statusCode(200).extract().jsonPath().getMap("");
    }

    static Response refresh(String refreshToken) {
        return api().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken)).post("/api/auth/refresh");
    }

    @Test
    void refreshedAccessToken_worksOnNotificationServiceAndOnTheGateway() {
        Map<String, Object> session = login("user1", "wkwkwk");
        Map<String, Object> refreshed = refresh((String) session.get("refresh_token")).then().statusCode(200)
                .extract().jsonPath().getMap("");
        String access = (String) refreshed.get("access_token");
        assertThat(access).isNotEqualTo(session.get("access_token"));

        api().auth().oauth2(access).get("/api/notifications").then().statusCode(200);

        try (TestSocket socket = TestSocket.connect(origin, "/api/ws", access, SUBPROTOCOL).ready()) {
            String title = "After refresh " + UUID.randomUUID();
            Api.send(origin, (String) login("admin", "wkwkwk").get("access_token"),
                    Notification.to(Audience.user(USER1_ID)).title(title).message("m").build());
            JsonObject frame = socket.await(f -> "notification".equals(f.getString("type"))
                    && title.equals(f.getJsonObject("payload").getString("title")), WAIT);
            assertThat(frame.getLong("seq")).isPositive();
        }
    }

    @Test
    void browserSession_throughTheOneOrigin_cookieRotatesAndItsAccessTokenOpensASocket_andLogoutEndsIt() {
        Response started = api().header("X-Notify-Csrf", "1").contentType(ContentType.JSON)
                .body(Map.of("username", "user1", "password", "wkwkwk")).post("/api/auth/session");
        started.then().statusCode(200).body("refresh_token", org.hamcrest.Matchers.nullValue());
        String cookie = started.getCookie("notify_refresh");
        assertThat(started.getDetailedCookie("notify_refresh").isHttpOnly()).isTrue();

        Response refreshed = api().header("X-Notify-Csrf", "1").cookie("notify_refresh", cookie)
                .post("/api/auth/session/refresh");
        refreshed.then().statusCode(200);
        String rotated = refreshed.getCookie("notify_refresh");
        assertThat(rotated).isNotEqualTo(cookie);
        try (TestSocket socket = TestSocket.connect(origin, "/api/ws", refreshed.path("access_token"), SUBPROTOCOL).ready()) {
            assertThat(socket).isNotNull();
        }

        api().header("X-Notify-Csrf", "1").cookie("notify_refresh", rotated).delete("/api/auth/session")
                .then().statusCode(204);
        api().header("X-Notify-Csrf", "1").cookie("notify_refresh", rotated).post("/api/auth/session/refresh")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void afterLogout_theSessionsRefreshTokenIsRefused() {
        Map<String, Object> session = login("user2", "password2");
        String next = refresh((String) session.get("refresh_token")).then().statusCode(200)
                .extract().path("refresh_token");

        api().contentType(ContentType.JSON).body(Map.of("refresh_token", next)).post("/api/auth/logout")
                .then().statusCode(204);

        refresh(next).then().statusCode(401).contentType("application/problem+json")
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void serviceAccountToken_readsTheDirectoryOfItsCompaniesOnly() {
        String service = api().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "billing-service").formParam("client_secret", "billing-secret-change-me")
                .post("/api/auth/token").then().statusCode(200).extract().path("access_token");
        api().auth().oauth2(service).queryParam("id", USER1_ID).queryParam("id", USER2_ID).get("/api/auth/users")
                .then().statusCode(200).body("users.id", equalTo(List.of(USER1_ID)));
    }
}

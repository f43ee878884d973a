package io.notify.systemtests;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import io.notify.client.Notification;
import io.notify.client.NotifyClient;
import io.notify.client.SentNotification;
import io.notify.client.TokenSource;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/** The suite as a client sees it: everything through the one origin. */
final class Api {

    final Suite suite;
    final URI origin;

    Api(Suite suite) {
        this.suite = suite;
        this.origin = suite.origin();
    }

    RequestSpecification as(String token) {
        RequestSpecification request = given().baseUri(origin.toString());
        return token == null ? request : request.auth().oauth2(token);
    }

    String login(String username, String password) {
        return as(null).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/auth/login")
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** The password of the users {@link #newUser} creates. */
    static final String NEW_USER_PASSWORD = "a-long-password-9";

    /** Creates a user of {@code company} with {@code role} (a fresh username) as the admin; answers the username. */
    String newUser(String adminToken, String company, String role) {
        String username = "u-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        post(adminToken, "/api/auth/users", Map.of("username", username, "password", NEW_USER_PASSWORD,
                "display_name", "User " + username, "company", company, "roles", java.util.List.of(role))).statusCode(201);
        return username;
    }

    String userId(String token) {
        return as(token).get("/api/auth/me").then().statusCode(200).extract().path("id");
    }

    /**
     * Sends {@code notification} as the token's holder with the Java SDK (notify-client), the way integrators send:
     * one attempt (a test wants to see a failure, not have it retried away); a refusal is its typed exception.
     */
    SentNotification send(String token, Notification notification) {
        return send(origin, token, notification);
    }

    /** {@link #send(String, Notification)} to {@code base}: the origin, or one notification-service instance. */
    static SentNotification send(URI base, String token, Notification notification) {
        return sdk(base, TokenSource.fixed(token)).build().send(notification);
    }

    /** The SDK as the tests send with it: one attempt, and one connection pool for all of them. */
    static NotifyClient.Builder sdk(URI base, TokenSource tokens) {
        return NotifyClient.builder(base).httpClient(HTTP).tokenSource(tokens).maxAttempts(1);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** POSTs a JSON body as the token's holder. */
    ValidatableResponse post(String token, String path, Object body) {
        return as(token).contentType(ContentType.JSON).body(body).post(path).then();
    }

    /** A socket straight to gateway {@code index} (tokens in the subprotocol on the first, in the query on others). */
    TestSocket onGateway(int index, String token) {
        return TestSocket.connect(suite.uri(suite.gateways().get(index)), "/api/ws", token,
                index == 0 ? TestSocket.Carrier.SUBPROTOCOL : TestSocket.Carrier.QUERY).ready();
    }

    TestSocket socket(String token, TestSocket.Carrier carrier) {
        return TestSocket.connect(origin, "/api/ws", token, carrier).ready();
    }

    static boolean notificationTitled(JsonObject frame, String title) {
        return "notification".equals(frame.getString("type"))
                && title.equals(frame.getJsonObject("payload").getString("title"));
    }
}

package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestSocket.Carrier.SUBPROTOCOL;
import static io.notify.infra.test.TestTokens.claims;
import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Every limit is a clear error frame or close code, never a crash, and other sockets keep receiving. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SocketLimitsTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    final String company = "co_" + UUID.randomUUID().toString().substring(0, 8);
    final String userId = UUID.randomUUID().toString();
    final String user = token(userId, "member", company, Set.of("user"));

    @BeforeEach
    void eventStreamPositioned() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    TestSocket open(String token) {
        return TestSocket.connect(base, "/api/ws", token, SUBPROTOCOL).ready();
    }

    /** The value of a counter with this label on /q/metrics (0 when absent). */
    static double counter(String name, String label) {
        return io.notify.infra.test.PrometheusText.value(
                given().get("/q/metrics").then().statusCode(200).extract().asString(), name, label.replace("\"", ""));
    }

    static short closeCode(TestSocket socket) throws Exception {
        return socket.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    String expiringIn(Duration d) {
        return TestTokens.sign(claims(userId, "member", company, Set.of("user"), Instant.now().plus(d)));
    }

    @Test
    void binaryFrame_closesWith1003_andOthersKeepReceiving() throws Exception {
        try (TestSocket socket = open(user); Bystander bystander = Bystander.open(base)) {
            socket.sendBinary(new byte[] { 1, 2, 3 });
            assertThat(closeCode(socket)).isEqualTo((short) 1003);
            bystander.assertStillReceiving();
        }
    }

    @Test
    void flood_getsRateLimitedFrames_thenCloseWith1008_andOthersKeepReceiving() throws Exception {
        try (TestSocket socket = open(user); Bystander bystander = Bystander.open(base)) {
            for (int i = 0; i < 200 && !socket.closed().isDone(); i++) {
                socket.send("{\"type\":\"ping\",\"ref\":" + i + "}");
            }
            assertThat(closeCode(socket)).isEqualTo((short) 1008);
            assertThat(socket.closeReason()).contains("rate limit");
            assertThat(socket.received()).anyMatch(f -> "rate_limited".equals(f.getString("code")));
            bystander.assertStillReceiving();
        }
    }

    @Test
    void oversizeMessage_closesTheSocket_andOthersAreFine() throws Exception {
        try (TestSocket big = open(user); TestSocket other = open(user); Bystander bystander = Bystander.open(base)) {
            big.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(closeCode(big)).isEqualTo((short) 1009);
            other.ready();
            bystander.assertStillReceiving();
        }
    }

    @Test
    void moreSocketsThanAllowedPerUser_theExtraOneIsClosedWith1008() throws Exception {
        List<TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                sockets.add(open(user));
            }
            TestSocket eleventh = TestSocket.connect(base, "/api/ws", user, SUBPROTOCOL);
            sockets.add(eleventh);
            assertThat(closeCode(eleventh)).isEqualTo((short) 1008);
            assertThat(eleventh.closeReason()).contains("too many sockets");
            sockets.get(0).ready(); // the others stay
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }

    @Test
    void expiredToken_closesTheSocketWith1008() throws Exception {
        try (TestSocket socket = open(expiringIn(Duration.ofSeconds(3)))) {
            assertThat(closeCode(socket)).isEqualTo((short) 1008);
            assertThat(socket.closeReason()).contains("token expired");
        }
    }

    @Test
    void refreshToken_forTheSameUser_keepsTheSocketOpenPastTheOldExpiry() {
        try (TestSocket socket = open(expiringIn(Duration.ofSeconds(3)))) {
            socket.send(new JsonObject().put("type", "refresh_token").put("ref", "r1").put("token", user).encode());
            JsonObject reply = socket.await(f -> "token_refreshed".equals(f.getString("type")), WAIT);
            assertThat(reply.getString("ref")).isEqualTo("r1");
            Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                    .until(() -> !socket.closed().isDone());
            socket.ready();
        }
    }

    @Test
    void refreshToken_ofAnotherUserOrInvalid_isRefused_andTheOldExpiryStands() throws Exception {
        try (TestSocket socket = open(expiringIn(Duration.ofSeconds(4)))) {
            String someoneElse = token(UUID.randomUUID().toString(), "other", company, Set.of("user"));
            socket.send(new JsonObject().put("type", "refresh_token").put("ref", "a").put("token", someoneElse).encode());
            socket.send(new JsonObject().put("type", "refresh_token").put("ref", "b").put("token", "garbage").encode());
            socket.await(f -> "invalid_token".equals(f.getString("code")) && "a".equals(f.getString("ref")), WAIT);
            socket.await(f -> "invalid_token".equals(f.getString("code")) && "b".equals(f.getString("ref")), WAIT);
            assertThat(closeCode(socket)).isEqualTo((short) 1008);
        }
    }

    @Test
    void clientThatStopsReading_isClosed_itsBacklogBounded_andOthersKeepReceiving() throws Exception {
        String otherId = UUID.randomUUID().toString();
        try (TestSocket hung = open(user);
                TestSocket healthy = open(token(otherId, "other", company + "_x", Set.of("user")))) {
            hung.stopReading();
            JsonObject big = new JsonObject().put("blob", "y".repeat(32_000));
            JsonObject audience = new JsonObject().put("type", "user").put("user_ids", List.of(userId));
            List<JsonObject> flood = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                flood.add(Events.created(audience, "big " + i, "general", "normal", big));
            }
            double before = counter("notify_gateway_dropped_total", "reason=\"slow_consumer\"");
            Events.publish(userId, flood);
            // a paused client cannot see its close: watch the server give up on it, then let the client read
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                    () -> counter("notify_gateway_dropped_total", "reason=\"slow_consumer\"") > before);
            hung.resumeReading();
            Awaitility.await().atMost(WAIT).until(() -> hung.closed().isDone());

            JsonObject toHealthy = new JsonObject().put("type", "user").put("user_ids", List.of(otherId));
            String id = Events.publish(otherId, List.of(Events.created(toHealthy, "still here", "general", "normal",
                    new JsonObject()))).get(0);
            healthy.await(f -> id.equals(f.getString("id")), WAIT);
        }
    }

    @Test
    void silentClient_isClosedAfterTheIdleTimeout() throws Exception {
        try (TestSocket silent = open(user)) {
            double before = counter("notify_gateway_errors_total", "kind=\"idle\"");
            silent.stopReading(); // no pongs any more
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                    () -> counter("notify_gateway_errors_total", "kind=\"idle\"") > before);
            silent.resumeReading();
            Awaitility.await().atMost(WAIT).until(() -> silent.closed().isDone());
        }
    }

    @Test
    void metrics_exposeSocketsDeliveriesAndLag() {
        try (TestSocket socket = open(user)) {
            JsonObject audience = new JsonObject().put("type", "user").put("user_ids", List.of(userId));
            String id = Events.publish(userId, List.of(Events.created(audience, "counted", "general", "normal",
                    new JsonObject()))).get(0);
            socket.await(f -> id.equals(f.getString("id")), WAIT);
            Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                    given().get("/q/metrics").then().statusCode(200).extract().asString())
                    .contains("notify_gateway_sockets").contains("notify_gateway_deliveries_total")
                    .contains("notify_gateway_delivery_lag_seconds_bucket"));
        }
    }
}

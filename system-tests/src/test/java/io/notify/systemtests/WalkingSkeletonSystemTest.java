package io.notify.systemtests;

import static io.notify.infra.test.TestSocket.Carrier.QUERY;
import static io.notify.infra.test.TestSocket.Carrier.SUBPROTOCOL;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.Priority;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * The walking skeleton, black box: packaged services as processes on real Kafka and PostgreSQL,
 * two gateways, everything reached through the one origin the browser uses.
 */
@ExtendWith(SuiteExtension.class)
class WalkingSkeletonSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static Suite suite;
    static URI origin;
    static Api api;

    @BeforeAll
    static void suite(Suite running) {
        suite = running;
        origin = running.origin();
        api = new Api(running);
    }

    static String login(String username, String password) {
        return api.login(username, password);
    }

    static String userId(String token) {
        return api.userId(token);
    }

    static TestSocket socket(String token, TestSocket.Carrier carrier) {
        return api.socket(token, carrier);
    }

    static boolean notificationTitled(JsonObject frame, String title) {
        return Api.notificationTitled(frame, title);
    }

    @Test
    void seedScenario_adminSendsToCompanyA_adminAndUser1Receive_user2DoesNot() {
        String admin = login("admin", "wkwkwk");
        String user1 = login("user1", "wkwkwk");
        String user2 = login("user2", "password2");
        // through the proxy, sockets alternate between the two gateways
        try (TestSocket adminWs = socket(admin, SUBPROTOCOL);
                TestSocket user1Ws = socket(user1, SUBPROTOCOL);
                TestSocket user2Ws = socket(user2, QUERY)) {
            String title = "Quarterly review " + UUID.randomUUID();
            assertThat(api.send(admin, Notification.to(Audience.company("company_a")).title(title).message("Room 4 at 3pm")
                    .type("meeting").priority(Priority.HIGH).build()).created()).isTrue();

            JsonObject frame = user1Ws.await(f -> notificationTitled(f, title), WAIT);
            assertThat(frame.getLong("seq")).isPositive();
            assertThat(frame.getJsonObject("payload").getString("type")).isEqualTo("meeting");
            adminWs.await(f -> notificationTitled(f, title), WAIT);

            // the gateways pushed the company event already; a later one to user2 proves nothing came before it
            String marker = "For user2 " + UUID.randomUUID();
            api.send(admin, Notification.to(Audience.user(userId(user2))).title(marker).message("m").build());
            user2Ws.await(f -> notificationTitled(f, marker), WAIT);
            assertThat(user2Ws.received()).noneMatch(f -> notificationTitled(f, title));

            given().baseUri(origin.toString()).auth().oauth2(user1).get("/api/notifications")
                    .then().statusCode(200).body("items.title", hasItem(title));
            given().baseUri(origin.toString()).auth().oauth2(user2).get("/api/notifications")
                    .then().statusCode(200).body("items.title", org.hamcrest.Matchers.not(hasItem(title)));
        }
    }

    @Test
    void recordFromPlainKafkaProducer_reachesUser1SocketAndInbox() throws Exception {
        String user1 = login("user1", "wkwkwk");
        String title = "Invoice approved " + UUID.randomUUID();
        try (TestSocket user1Ws = socket(user1, SUBPROTOCOL);
                KafkaProducer<String, String> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrap()),
                        new StringSerializer(), new StringSerializer())) {
            String record = new JsonObject()
                    .put("audience", new JsonObject().put("type", "user").put("user_ids", List.of(userId(user1))))
                    .put("title", title).put("message", "INV-1001 was approved").put("type", "approval")
                    .encode();
            producer.send(new ProducerRecord<>("notification-requests", userId(user1), record)).get();

            user1Ws.await(f -> notificationTitled(f, title), WAIT);
            Awaitility.await().atMost(WAIT).untilAsserted(() -> given().baseUri(origin.toString()).auth().oauth2(user1)
                    .get("/api/notifications").then().statusCode(200).body("items.title", hasItem(title)));
        }
    }

    @Test
    void userWithASocketOnEachGateway_receivesTheEventOnBoth() {
        String user1 = login("user1", "wkwkwk");
        assertThat(suite.gateways()).hasSize(2);
        try (TestSocket onA = TestSocket.connect(suite.uri(suite.gateways().get(0)), "/api/ws", user1, SUBPROTOCOL).ready();
                TestSocket onB = TestSocket.connect(suite.uri(suite.gateways().get(1)), "/api/ws", user1, QUERY).ready()) {
            String title = "Both tabs " + UUID.randomUUID();
            api.send(login("admin", "wkwkwk"), Notification.to(Audience.user(userId(user1))).title(title).message("m").build());
            onA.await(f -> notificationTitled(f, title), WAIT);
            onB.await(f -> notificationTitled(f, title), WAIT);
        }
    }

    @Test
    void missingTamperedOrExpiredToken_isRefusedAtUpgradeAndOnRest() throws Exception {
        String valid = login("user1", "wkwkwk");
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("company_a", "company_b");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String expired = expiredTokenSignedWithTheSuitesKey();

        for (String token : new String[] { null, tampered, expired }) {
            assertThat(TestSocket.upgradeStatus(origin, "/api/ws", token, SUBPROTOCOL)).isEqualTo(401);
            assertThat(TestSocket.upgradeStatus(origin, "/api/ws", token, QUERY)).isEqualTo(401);
            var request = given().baseUri(origin.toString());
            if (token != null) {
                request = request.auth().oauth2(token);
            }
            request.get("/api/notifications").then().statusCode(401);
        }
        assertThat(TestSocket.upgradeStatus(origin, "/api/ws", valid, SUBPROTOCOL)).isEqualTo(101);
    }

    /** Signed with the real key (read from the suite's own data dir) and the right kid, but expired. */
    private static String expiredTokenSignedWithTheSuitesKey() throws Exception {
        Path keyFile = suite.config().dataDir().resolve("auth-keys/jwt-private.pem");
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        String kid = given().baseUri(origin.toString()).get("/api/auth/jwks").then().statusCode(200)
                .extract().path("keys[0].kid");
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("notify-auth");
        claims.setAudience("notify");
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("upn", "user1");
        claims.setStringListClaim("groups", "user");
        claims.setClaim("company", "company_a");
        claims.setIssuedAt(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 3600));
        claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 1800));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }
}

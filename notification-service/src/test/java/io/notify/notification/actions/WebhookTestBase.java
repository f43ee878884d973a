package io.notify.notification.actions;

import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;

import com.sun.net.httpserver.HttpServer;

import io.notify.notification.Tenant;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** What the webhook tests share: a tenant, a service account, a real HTTP receiver on 127.0.0.1 and the calls it got. */
abstract class WebhookTestBase {

    record Received(String signature, String eventId, String body) {
    }

    final Tenant t = new Tenant();
    final String serviceId = UUID.randomUUID().toString();
    final String service = Tenant.serviceToken(serviceId, Set.of(t.company));
    final List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver;

    /** A receiver on 127.0.0.1 answering {@code status}; its URL. */
    String receiver(int status) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            try (exchange) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("X-Notify-Signature"),
                        exchange.getRequestHeaders().getFirst("X-Notify-Event-Id"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    }

    @org.junit.jupiter.api.BeforeEach
    void directory() {
        io.notify.notification.FakeDirectory.install();
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    String setWebhook(String url) {
        return given().auth().oauth2(service).contentType(ContentType.JSON).body(Map.of("url", url))
                .put("/api/notifications/webhook").then().statusCode(200).extract().path("secret");
    }

    /** The service sends the member a notification with two actions; the member completes {@code approve}. */
    String sendAndComplete() {
        String id = Tenant.send(service, ActionsTest.withActions(userAudience(t.memberId), "Invoice", ActionsTest.APPROVE_REJECT));
        ActionsTest.complete(t.member, id, "approve").statusCode(200);
        return id;
    }

    static JsonPath deliveries(String token, String status) {
        return given().auth().oauth2(token).queryParam("status", status).get("/api/notifications/webhook/deliveries")
                .then().statusCode(200).extract().jsonPath();
    }
}

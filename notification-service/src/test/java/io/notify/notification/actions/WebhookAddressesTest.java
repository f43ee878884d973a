package io.notify.notification.actions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * As in production, a webhook may only point at a public address: a tenant must not make the store POST into the
 * cluster or a cloud metadata endpoint. Refused when set (400 naming {@code url}) and, for a URL stored earlier (or a name
 * that resolves elsewhere now), before each call: the receiver on 127.0.0.1 is never called and the delivery says why.
 */
@QuarkusTest
@TestProfile(WebhookAddressesTest.PublicOnly.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class WebhookAddressesTest extends WebhookTestBase {

    /** The production setting: private addresses refused. */
    public static class PublicOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notify.webhooks.allow-private-addresses", "false");
        }
    }

    @Inject
    AgroalDataSource database;

    @Test
    void aUrlOfAPrivateAddress_isRefusedWhenSet_namingUrl() {
        for (String url : List.of("http://127.0.0.1:8080/hooks", "http://localhost/x", "http://169.254.169.254/latest/meta-data",
                "http://10.1.2.3/x", "http://192.168.0.10/x", "http://100.64.0.1/x", "http://[::1]/x", "http://[fd00::1]/x",
                "http://[::ffff:127.0.0.1]/x", "http://0.0.0.0/x", "http://no-such-host.invalid/x")) {
            given().auth().oauth2(service).contentType(ContentType.JSON).body(Map.of("url", url))
                    .put("/api/notifications/webhook").then().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", hasItem("url")).body("detail", containsString("url"));
        }
        given().auth().oauth2(service).get("/api/notifications/webhook").then().statusCode(404);
        // a public address is taken (never called here: nothing is completed for it)
        given().auth().oauth2(service).contentType(ContentType.JSON).body(Map.of("url", "https://93.184.216.34/hooks"))
                .put("/api/notifications/webhook").then().statusCode(200);
        given().auth().oauth2(service).delete("/api/notifications/webhook").then().statusCode(204);
    }

    @Test
    void aStoredUrlOfAPrivateAddress_isNotCalled_andTheDeliverySaysWhy() throws Exception {
        String url = receiver(204);
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks (account_id, url, secret) VALUES (?, ?, 'stored-before')")) {
            s.setString(1, serviceId);
            s.setString(2, url);
            s.executeUpdate();
        }
        sendAndComplete();

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<String> errors = new java.util.ArrayList<>(deliveries(service, "pending").getList("last_error", String.class));
            errors.addAll(deliveries(service, "failed").getList("last_error", String.class));
            return errors.stream().anyMatch(e -> e != null && e.contains("private address"));
        });
        assertThat(received).isEmpty();
    }

    @Test
    void privateAddresses_areToldFromPublicOnes() throws Exception {
        for (String address : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "::")) {
            assertThat(WebhookAddresses.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
        }
        for (String address : List.of("93.184.216.34", "8.8.8.8", "100.128.0.1", "172.32.0.1", "2606:4700::1111")) {
            assertThat(WebhookAddresses.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
        }
    }
}

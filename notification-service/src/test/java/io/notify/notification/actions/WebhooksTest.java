package io.notify.notification.actions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;


import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;


import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The producer learns a completion by webhook (issue 25): a real HTTP receiver on 127.0.0.1 gets the {@code actioned}
 * event signed with HMAC-SHA256 under the secret shown once; one that keeps failing is retried, then listed as failed.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class WebhooksTest extends WebhookTestBase {

    @Test
    void aCompletion_isPostedToTheSendersWebhook_signedWithTheSecretShownOnce() throws Exception {
        String secret = setWebhook(receiver(204));
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        given().auth().oauth2(service).get("/api/notifications/webhook").then().statusCode(200)
                .body("url", containsString("127.0.0.1")).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")));

        String id = sendAndComplete();

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
        Received call = received.get(0);
        assertThat(call.signature()).isEqualTo(hmac(secret, call.body()));
        JsonPath event = JsonPath.from(call.body());
        assertThat(event.getString("kind")).isEqualTo("actioned");
        assertThat(event.getString("notification_id")).isEqualTo(id);
        assertThat(event.getString("action_id")).isEqualTo("approve");
        assertThat(event.getString("user_id")).isEqualTo(t.memberId);
        assertThat(event.getString("sender_id")).isEqualTo(serviceId);
        assertThat(call.eventId()).isEqualTo(event.getString("event_id"));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(service, "delivered").getList("event_id").contains(call.eventId()));
        assertThat(received).as("once").hasSize(1);
    }

    @Test
    void aReceiverThatKeepsFailing_isRetried_thenTheDeliveryIsListedAsFailed() throws Exception {
        setWebhook(receiver(500));
        sendAndComplete();

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries(service, "failed").getList("id").isEmpty());
        JsonPath failed = deliveries(service, "failed");
        assertThat(failed.getInt("[0].attempts")).isGreaterThanOrEqualTo(2).isEqualTo(received.size());
        assertThat(failed.getString("[0].last_error")).isEqualTo("HTTP 500");
        assertThat(deliveries(t.admin, "failed").getList("event_id")).as("the admin of the actioning users' company")
                .contains(failed.getString("[0].event_id"));
        assertThat(deliveries(Tenant.serviceToken(UUID.randomUUID().toString(), Set.of(t.company)), "failed")
                .getList("id")).as("another account's").isEmpty();
    }

    @Test
    void onlyServiceAccountsSetAWebhook_andOnlyToAnHttpUrl() {
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/x"))
                .put("/api/notifications/webhook").then().statusCode(403);
        given().auth().oauth2(service).contentType(ContentType.JSON).body(Map.of("url", "file:///etc/passwd"))
                .put("/api/notifications/webhook").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(containsString("url")));
        given().auth().oauth2(service).get("/api/notifications/webhook").then().statusCode(404);
    }
}

package io.notify.systemtests;

import static io.notify.infra.test.TestSocket.Carrier.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.SentNotification;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * A scheduled send (issue 25) through the running suite: sent with the SDK with {@code send_at} 2 s ahead, it is
 * listed as pending and reaches nobody before due; then it arrives on the recipient's socket, once, with the scheduled
 * id, and is no longer pending.
 */
@ExtendWith(SuiteExtension.class)
class ScheduledSendSystemTest {

    static Api api;
    static String sender;
    static String recipientToken;
    static String recipientId;

    @BeforeAll
    static void suite(Suite running) {
        api = new Api(running);
        sender = api.login("admin", "wkwkwk");
        String recipient = api.newUser(sender, "company_a", "user");
        recipientToken = api.login(recipient, Api.NEW_USER_PASSWORD);
        recipientId = api.userId(recipientToken);
    }

    static List<String> pending() {
        return api.as(sender).get("/api/notifications/scheduled").then().statusCode(200).extract().jsonPath()
                .getList("id");
    }

    @Test
    void sdkSendWithSendAt_reachesTheSocketAfterDue_notBefore() {
        String title = "Later " + UUID.randomUUID();
        try (TestSocket socket = api.socket(recipientToken, HEADER)) {
            Instant sendAt = Instant.now().plusSeconds(2);
            SentNotification scheduled = api.send(sender, Notification.to(Audience.user(recipientId)).title(title)
                    .message("Your review starts in 15 minutes").type("meeting").sendAt(sendAt).build());

            assertThat(scheduled.scheduled()).isTrue();
            assertThat(pending()).contains(scheduled.id().toString());

            JsonObject frame = socket.await(f -> Api.notificationTitled(f, title), Duration.ofSeconds(15));
            Instant arrived = Instant.now();
            assertThat(arrived).as("not before due").isAfterOrEqualTo(sendAt);
            assertThat(Duration.between(sendAt, arrived)).as("delivered soon after due").isLessThan(Duration.ofSeconds(3));
            assertThat(frame.getJsonObject("payload").getString("id")).isEqualTo(scheduled.id().toString());
            assertThat(pending()).doesNotContain(scheduled.id().toString());
            assertThat(socket.received()).filteredOn(f -> Api.notificationTitled(f, title)).as("once").hasSize(1);
        }
    }
}

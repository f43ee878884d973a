package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;

/**
 * The fault case of issue 25's snooze: wake-ups due while notification-service is killed with -9 (the only instance)
 * are each delivered once after it restarts.
 */
@ExtendWith(SuiteExtension.class)
class SnoozeRestartSystemTest {

    static Api api;
    static Suite suite;

    @BeforeAll
    static void suite(Suite running) {
        suite = running;
        api = new Api(running);
    }

    @Test
    void wakeUpsDueWhileTheStoreIsKilled_areEachDeliveredOnceAfterItRestarts() {
        String admin = api.login("admin", "wkwkwk");
        String user = api.login(api.newUser(admin, "company_a", "user"), Api.NEW_USER_PASSWORD);
        String userId = api.userId(user);
        try (TestSocket socket = api.onGateway(0, user)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = api.send(admin, Notification.to(Audience.user(userId)).title("Wake " + i).message("m")
                        .type("info").build()).id().toString();
                socket.await(f -> id.equals(f.getString("id")), SnoozeSystemTest.WAIT);
                ids.add(id);
            }
            // the new user's company gets other tests' company and everyone sends too: count relative to now
            long unread = SnoozeSystemTest.unread(api, user);
            Instant until = Instant.now().plusSeconds(2);
            for (String id : ids) {
                api.post(user, "/api/notifications/" + id + "/snooze", Map.of("until", until.toString())).statusCode(204);
            }
            assertThat(SnoozeSystemTest.unread(api, user)).as("snoozed: out of the count").isEqualTo(unread - ids.size());

            suite.service("notification-service").kill();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(until.plusMillis(500)));
            suite.startService("notification-service");

            for (String id : ids) {
                socket.await(f -> SnoozeSystemTest.resurfaced(f, id), Duration.ofSeconds(60));
            }
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> ids.stream()
                    .allMatch(id -> socket.received().stream().filter(f -> SnoozeSystemTest.resurfaced(f, id)).count() == 1));
            assertThat(SnoozeSystemTest.unread(api, user)).as("each back unread, once").isEqualTo(unread);
        }
    }

}

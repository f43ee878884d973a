package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Action;
import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * Action buttons end to end (issue 25): a producer sends them with the SDK, a reader completes one in a tab on one
 * gateway, and the reader's tab on the other gateway, the inbox and a later resume all show it completed.
 */
@ExtendWith(SuiteExtension.class)
class ActionsSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String USER1 = "00000000-0000-4000-8000-00000000a002";
    static Api api;

    @BeforeAll
    static void suite(Suite running) {
        api = new Api(running);
    }

    static JsonObject reply(TestSocket socket, String type, String ref) {
        return socket.await(f -> type.equals(f.getString("type")) && ref.equals(f.getString("ref")), WAIT);
    }

    @Test
    void completingInATabOnOneGateway_reachesTheTabOnTheOther_theInbox_andAResume() {
        String admin = api.login("admin", "wkwkwk");
        String user1 = api.login("user1", "wkwkwk");
        long before;
        String id;
        String completedAt;
        try (TestSocket tabA = api.onGateway(0, user1); TestSocket tabB = api.onGateway(1, user1)) {
            id = api.send(admin, Notification.to(Audience.user(USER1)).title("Expense " + UUID.randomUUID())
                    .message("Approve 42 EUR?").type("approval").action("approve", "Approve", Action.Style.PRIMARY)
                    .action("reject", "Reject", Action.Style.DANGER).build()).id().toString();
            JsonObject pushed = tabA.await(f -> id.equals(f.getString("id")), WAIT);
            before = pushed.getLong("seq") - 1;
            assertThat(pushed.getJsonObject("payload").getJsonArray("actions").stream()
                    .map(a -> ((JsonObject) a).getString("style"))).containsExactly("primary", "danger");
            tabB.await(f -> id.equals(f.getString("id")), WAIT);

            tabA.send("{\"type\":\"complete_action\",\"ref\":\"c1\",\"notification_id\":\"" + id + "\",\"action_id\":\"approve\"}");
            JsonObject done = reply(tabA, "action_completed", "c1");
            assertThat(done.getString("notification_id")).isEqualTo(id);
            assertThat(done.getString("action_id")).isEqualTo("approve");
            completedAt = done.getString("completed_at");

            JsonObject told = tabB.await(f -> "action_completed".equals(f.getString("type"))
                    && id.equals(f.getString("notification_id")), WAIT);
            assertThat(told.getString("action_id")).isEqualTo("approve");
            assertThat(told.getLong("seq")).isGreaterThan(before);
            assertThat(java.time.OffsetDateTime.parse(told.getString("completed_at")).toInstant())
                    .isEqualTo(java.time.OffsetDateTime.parse(completedAt).toInstant());

            tabB.send("{\"type\":\"complete_action\",\"ref\":\"c2\",\"notification_id\":\"" + id + "\",\"action_id\":\"reject\"}");
            assertThat(reply(tabB, "error", "c2").getString("code")).isEqualTo("conflict");
            tabB.send("{\"type\":\"complete_action\",\"ref\":\"c3\",\"notification_id\":\"" + id + "\",\"action_id\":\"approve\"}");
            assertThat(reply(tabB, "action_completed", "c3").getString("completed_at")).as("a repeat: the same completion")
                    .isEqualTo(completedAt);
        }

        List<Map<String, Object>> items = api.as(user1).get("/api/notifications?limit=50").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(items).filteredOn(item -> id.equals(item.get("id"))).singleElement()
                .satisfies(item -> assertThat(item.get("completed_action"))
                        .isEqualTo(Map.of("action_id", "approve", "completed_at", completedAt)));

        try (TestSocket later = api.onGateway(1, user1)) {
            later.send("{\"type\":\"resume\",\"ref\":\"r1\",\"last_seq\":" + before + "}");
            reply(later, "resumed", "r1");
            assertThat(later.received().stream().filter(f -> id.equals(f.getString("id"))
                    || id.equals(f.getString("notification_id"))).map(f -> f.getString("type")))
                    .containsExactly("notification", "action_completed");
        }
    }
}

package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;
import io.vertx.core.json.JsonObject;

/** The socket protocol end to end: actions authorized by the store, tabs on two gateways converging, resume, drain. */
@ExtendWith(SuiteExtension.class)
class SocketProtocolSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static Api api;
    static Suite suite;

    @BeforeAll
    static void suite(Suite running) {
        suite = running;
        api = new Api(running);
    }

    static TestSocket onGateway(int index, String token) {
        return api.onGateway(index, token);
    }

    static JsonObject reply(TestSocket socket, String type, String ref) {
        return socket.await(f -> type.equals(f.getString("type")) && ref.equals(f.getString("ref")), WAIT);
    }

    String sendToUser1(String title) {
        String admin = api.login("admin", "wkwkwk");
        return api.send(admin, Notification.to(Audience.user("00000000-0000-4000-8000-00000000a002")).title(title).message("m")
                .type("info").build()).id().toString();
    }

    @Test
    void socketActions_areAuthorizedByTheStore_andEveryTabOnEveryGatewayConverges() {
        String user1 = api.login("user1", "wkwkwk");
        try (TestSocket tabA = onGateway(0, user1); TestSocket tabB = onGateway(1, user1)) {
            String title = "Act on me " + UUID.randomUUID();
            String id = sendToUser1(title);
            tabA.await(f -> id.equals(f.getString("id")), WAIT);
            tabB.await(f -> id.equals(f.getString("id")), WAIT);

            tabA.send("{\"type\":\"get_unread_count\",\"ref\":\"u1\"}");
            assertThat(reply(tabA, "unread_count", "u1").getLong("total")).isPositive();
            tabA.send("{\"type\":\"get_notifications\",\"ref\":\"g1\",\"limit\":5,\"unread\":true,\"types\":[\"info\"]}");
            JsonObject page = reply(tabA, "notifications", "g1");
            assertThat(page.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")))
                    .as(page.encode()).contains(id);

            tabA.send("{\"type\":\"mark_read\",\"ref\":\"m1\",\"notification_id\":\"" + id + "\"}");
            assertThat(reply(tabA, "notification_read", "m1").getString("notification_id")).isEqualTo(id);
            tabB.await(f -> "notification_read".equals(f.getString("type")) && id.equals(f.getString("notification_id"))
                    && f.getLong("seq") != null, WAIT);

            tabA.send("{\"type\":\"delete_notification\",\"ref\":\"d1\",\"notification_id\":\"" + id + "\"}");
            reply(tabA, "notification_deleted", "d1");
            tabB.await(f -> "notification_deleted".equals(f.getString("type")) && id.equals(f.getString("notification_id")), WAIT);

            tabA.send("{\"type\":\"mark_all_read\",\"ref\":\"a1\"}");
            long upTo = reply(tabA, "all_read", "a1").getLong("read_up_to");
            tabB.await(f -> "all_read".equals(f.getString("type")) && f.getLong("read_up_to") == upTo, WAIT);

            String toAdmin = "{\"type\":\"send_notification\",\"ref\":\"s1\",\"notification\":{\"audience\":{\"type\":\"user\","
                    + "\"user_ids\":[\"00000000-0000-4000-8000-00000000a001\"]},\"title\":\"Hi admin\",\"message\":\"m\"}}";
            tabA.send(toAdmin);
            assertThat(reply(tabA, "sent", "s1").getJsonObject("notification").getString("title")).isEqualTo("Hi admin");
            tabA.send(toAdmin.replace("s1", "s2").replace("00000000a001", "00000000b001")); // user2: company_b
            assertThat(reply(tabA, "error", "s2").getString("code")).isEqualTo("forbidden");

            tabA.send("{\"type\":\"mark_read\",\"ref\":\"x1\",\"notification_id\":\"../../q/metrics\"}");
            assertThat(reply(tabA, "error", "x1").getString("code")).isEqualTo("invalid_request");
            tabA.send("{\"type\":\"mark_read\",\"ref\":\"x2\",\"notification_id\":\"" + UUID.randomUUID() + "\"}");
            assertThat(reply(tabA, "error", "x2").getString("code")).isEqualTo("not_found");
        }
    }

    @Test
    void seenAndArchive_fromOneTab_reachTheOtherGateway_andAResume() {
        String user1 = api.login("user1", "wkwkwk");
        long before;
        String id;
        try (TestSocket tabA = onGateway(0, user1); TestSocket tabB = onGateway(1, user1)) {
            id = sendToUser1("Archive me " + UUID.randomUUID());
            before = tabA.await(f -> id.equals(f.getString("id")), WAIT).getLong("seq");
            tabB.await(f -> id.equals(f.getString("id")), WAIT);
            tabA.send("{\"type\":\"get_unread_count\",\"ref\":\"c1\"}");
            assertThat(reply(tabA, "unread_count", "c1").getLong("unseen")).isPositive();

            tabA.send("{\"type\":\"mark_seen\",\"ref\":\"s1\"}");
            long seenUpTo = reply(tabA, "all_seen", "s1").getLong("seen_up_to");
            assertThat(seenUpTo).isGreaterThanOrEqualTo(before);
            tabB.await(f -> "all_seen".equals(f.getString("type")) && f.getLong("seen_up_to") == seenUpTo, WAIT);
            tabB.send("{\"type\":\"get_unread_count\",\"ref\":\"c2\"}");
            JsonObject count = reply(tabB, "unread_count", "c2");
            assertThat(count.getLong("unseen")).isZero();
            assertThat(count.getLong("total")).as("seen is not read").isPositive();

            tabA.send("{\"type\":\"archive\",\"ref\":\"a1\",\"notification_id\":\"" + id + "\"}");
            reply(tabA, "notification_archived", "a1");
            tabB.await(f -> "notification_archived".equals(f.getString("type")) && id.equals(f.getString("notification_id")), WAIT);
            tabB.send("{\"type\":\"get_notifications\",\"ref\":\"g1\",\"archived\":true,\"limit\":5}");
            assertThat(reply(tabB, "notifications", "g1").getJsonArray("items").stream()
                    .map(i -> ((JsonObject) i).getString("id"))).contains(id);

            tabB.send("{\"type\":\"unarchive\",\"ref\":\"a2\",\"notification_id\":\"" + id + "\"}");
            reply(tabB, "notification_unarchived", "a2");
            tabA.await(f -> "notification_unarchived".equals(f.getString("type")) && id.equals(f.getString("notification_id")), WAIT);
            tabA.send("{\"type\":\"archive\",\"ref\":\"x1\",\"notification_id\":\"" + UUID.randomUUID() + "\"}");
            assertThat(reply(tabA, "error", "x1").getString("code")).isEqualTo("not_found");
        }
        try (TestSocket later = onGateway(1, user1)) {
            later.send("{\"type\":\"resume\",\"ref\":\"r1\",\"last_seq\":" + before + "}");
            reply(later, "resumed", "r1");
            assertThat(later.received().stream().map(f -> f.getString("type")))
                    .containsSubsequence("all_seen", "notification_archived", "notification_unarchived");
        }
    }

    @Test
    void resume_sendsWhatWasMissed_inOrder_thenResumed_orResyncWhenItCannot() {
        String user1 = api.login("user1", "wkwkwk");
        long lastSeq;
        try (TestSocket before = onGateway(0, user1)) {
            String id = sendToUser1("Seen " + UUID.randomUUID());
            lastSeq = before.await(f -> id.equals(f.getString("id")), WAIT).getLong("seq");
        }
        String first = sendToUser1("Missed 1 " + UUID.randomUUID());
        String second = sendToUser1("Missed 2 " + UUID.randomUUID());

        try (TestSocket after = onGateway(1, user1)) {
            after.send("{\"type\":\"resume\",\"ref\":\"r1\",\"last_seq\":" + lastSeq + "}");
            JsonObject resumed = reply(after, "resumed", "r1");
            List<JsonObject> replayed = after.received().stream()
                    .filter(f -> "notification".equals(f.getString("type"))).toList();
            assertThat(replayed.stream().map(f -> f.getString("id"))).containsSubsequence(first, second);
            assertThat(replayed).allMatch(f -> f.getLong("seq") > lastSeq);
            assertThat(resumed.getLong("last_seq")).isGreaterThanOrEqualTo(replayed.get(replayed.size() - 1).getLong("seq"));

            after.send("{\"type\":\"resume\",\"ref\":\"r2\",\"last_seq\":" + Long.MAX_VALUE / 2 + "}");
            assertThat(reply(after, "resync", "r2").getString("reason")).contains("ahead");
            after.send("{\"type\":\"resume\",\"ref\":\"r3\"}");
            assertThat(reply(after, "error", "r3").getString("code")).isEqualTo("invalid_request");
        }
    }

    @Test
    void shutdown_drainsEverySocketWithAJitteredReconnectHint_then1012() throws Exception {
        String gateway = suite.gateways().get(1);
        TestSocket socket = onGateway(1, api.login("user1", "wkwkwk"));
        try {
            suite.service(gateway).stop(Duration.ofSeconds(30)); // SIGTERM, as Kubernetes does
            JsonObject hint = socket.await(f -> "reconnect".equals(f.getString("type")), WAIT);
            assertThat(hint.getLong("delay_ms")).isBetween(0L, 10_000L);
            assertThat(socket.closed().get(30, TimeUnit.SECONDS)).isEqualTo((short) 1012);
        } finally {
            socket.close();
            suite.startService(gateway);
        }
        onGateway(1, api.login("user1", "wkwkwk")).close();
    }
}

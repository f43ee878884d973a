package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestSocket.Carrier.HEADER;
import static io.notify.infra.test.TestSocket.Carrier.QUERY;
import static io.notify.infra.test.TestSocket.Carrier.SUBPROTOCOL;
import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class GatewaySocketTest {

    static final String WS = "/api/ws";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    final String company = "co_" + UUID.randomUUID().toString().substring(0, 8);
    final String memberId = UUID.randomUUID().toString();
    final String adminId = UUID.randomUUID().toString();
    final String outsiderId = UUID.randomUUID().toString();
    final String member = token(memberId, "member", company, Set.of("user"));
    final String admin = token(adminId, "admin", company, Set.of("admin", "user"));
    final String outsider = token(outsiderId, "outsider", company + "_b", Set.of("user"));

    @BeforeEach
    void eventStreamPositioned() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    TestSocket open(String token, TestSocket.Carrier carrier) {
        return TestSocket.connect(base, WS, token, carrier).ready();
    }

    /** Publishes a created event as notification-service does; one key keeps a test's events in order. */
    String publish(JsonObject audience, String title) {
        return Events.publish(company, List.of(Events.created(audience, title, "general", "normal",
                new JsonObject().put("k", 1)))).get(0);
    }

    static JsonObject companyAudience(String company) {
        return new JsonObject().put("type", "company").put("company", company);
    }

    static JsonObject usersAudience(String... ids) {
        return new JsonObject().put("type", "users").put("user_ids", new JsonArray(List.of((Object[]) ids)));
    }

    static boolean isNotification(JsonObject frame, String id) {
        return "notification".equals(frame.getString("type")) && id.equals(frame.getString("id"));
    }

    @Test
    void companyEvent_reachesEveryCompanySocket_onEveryCarrier_andNoOtherTenant() {
        try (TestSocket memberHeader = open(member, HEADER);
                TestSocket memberBrowser = open(member, SUBPROTOCOL);
                TestSocket adminQuery = open(admin, QUERY);
                TestSocket other = open(outsider, HEADER)) {
            String id = publish(companyAudience(company), "Standup moved");
            String marker = publish(usersAudience(outsiderId), "marker");

            JsonObject frame = memberHeader.await(f -> isNotification(f, id), WAIT);
            assertThat(frame.getLong("seq")).isPositive();
            assertThat(frame.getJsonObject("payload").getString("title")).isEqualTo("Standup moved");
            assertThat(frame.getJsonObject("payload").getBoolean("read")).isFalse();
            assertThat(frame.getJsonObject("payload").getJsonObject("data").getInteger("k")).isEqualTo(1);
            memberBrowser.await(f -> isNotification(f, id), WAIT);
            adminQuery.await(f -> isNotification(f, id), WAIT);

            // same partition, so the marker arrives after the company event would have
            other.await(f -> isNotification(f, marker), WAIT);
            assertThat(other.received()).noneMatch(f -> isNotification(f, id));
        }
    }

    /** The window's timer publishes the receipt of an acknowledged notification (default window, 250 ms). */
    @Test
    void anAcknowledgedNotification_isPublishedAsAReceipt() {
        try (TestSocket tab = open(member, HEADER)) {
            String id = publish(usersAudience(memberId), "Acknowledged");
            tab.await(f -> isNotification(f, id), WAIT);
            tab.send(new JsonObject().put("type", "ack").put("ids", new JsonArray().add(id)).encode());
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records =
                    io.notify.gateway.receipts.ReceiptRecords.of(id, 1, WAIT);
            assertThat(records).hasSize(1);
            assertThat(new JsonObject(records.get(0).value()).getJsonArray("receipts").getJsonObject(0).getString("user_id"))
                    .isEqualTo(memberId);
        }
    }

    @Test
    void userEvent_reachesEveryTabOfThatUserOnly() {
        try (TestSocket tab1 = open(member, HEADER);
                TestSocket tab2 = open(member, HEADER);
                TestSocket colleague = open(admin, HEADER)) {
            String id = publish(usersAudience(memberId), "Just you");
            String marker = publish(usersAudience(adminId), "marker");

            tab1.await(f -> isNotification(f, id), WAIT);
            tab2.await(f -> isNotification(f, id), WAIT);
            colleague.await(f -> isNotification(f, marker), WAIT);
            assertThat(colleague.received()).noneMatch(f -> isNotification(f, id));
        }
    }

    @Test
    void roleAndEveryoneEvents_reachTheirSockets() {
        try (TestSocket memberSocket = open(member, HEADER); TestSocket adminSocket = open(admin, HEADER)) {
            String admins = publish(new JsonObject().put("type", "role").put("role", "admin").put("company", company),
                    "Admins only");
            String all = publish(new JsonObject().put("type", "everyone"), "Everyone");

            adminSocket.await(f -> isNotification(f, admins), WAIT);
            adminSocket.await(f -> isNotification(f, all), WAIT);
            memberSocket.await(f -> isNotification(f, all), WAIT);
            assertThat(memberSocket.received()).noneMatch(f -> isNotification(f, admins));
        }
    }

    /**
     * A type the user switched off is not pushed to any of their sockets, unless urgent, and is
     * pushed again once switched back on; a colleague who muted nothing gets every one.
     */
    @Test
    void aMutedType_isNotPushed_butUrgentIs_andUnmutingRestoresIt() {
        try (TestSocket tab1 = open(member, HEADER); TestSocket tab2 = open(member, SUBPROTOCOL);
                TestSocket colleague = open(admin, HEADER)) {
            JsonObject audience = companyAudience(company);
            List<String> ids = Events.publish(company, List.of(
                    Events.preferencesUpdated(memberId, new JsonObject().put("digest", false).put("general", true)),
                    Events.created(audience, "muted", "digest", "normal", null),
                    Events.created(audience, "urgent", "digest", "urgent", null),
                    Events.preferencesUpdated(memberId, new JsonObject().put("digest", true)),
                    Events.created(audience, "unmuted", "digest", "normal", null)));
            String muted = ids.get(1);
            String urgent = ids.get(2);
            String unmuted = ids.get(4);

            for (TestSocket tab : List.of(tab1, tab2)) {
                tab.await(f -> "preferences_updated".equals(f.getString("type")), WAIT);
                tab.await(f -> isNotification(f, urgent), WAIT);
                // one key, one partition: once the last is pushed, the muted one would have been
                tab.await(f -> isNotification(f, unmuted), WAIT);
                assertThat(tab.received()).noneMatch(f -> isNotification(f, muted));
            }
            colleague.await(f -> isNotification(f, unmuted), WAIT);
            assertThat(colleague.received()).anyMatch(f -> isNotification(f, muted));
        }
    }

    /**
     * A topic notification reaches the tabs of the company's users subscribed to the topic before it was sent, from the
     * event of their subscription on, without a reconnect; not a colleague who is not subscribed, not a user of another
     * company subscribed to a topic of the same name there, not one sent before the subscription, not after it ended.
     */
    @Test
    void aTopicEvent_reachesItsSubscribersFromTheirSubscriptionOn_andNobodyElse() {
        try (TestSocket tab1 = open(member, HEADER); TestSocket tab2 = open(member, SUBPROTOCOL);
                TestSocket colleague = open(admin, HEADER); TestSocket other = open(outsider, HEADER)) {
            JsonObject topic = new JsonObject().put("type", "topic").put("topic", "project-42").put("company", company);
            JsonObject before = Events.created(topic, "before", "general", "normal", null);
            List<String> ids = Events.publish(company, List.of(
                    Events.subscriptionChanged(outsiderId, company + "_b", "project-42", true),
                    Events.subscriptionChanged(memberId, company, "project-42", true),
                    Events.created(topic, "for subscribers", "general", "normal", null),
                    before, // drawn before the subscription: its seq is lower
                    Events.subscriptionChanged(memberId, company, "project-42", false),
                    Events.created(topic, "after leaving", "general", "normal", null),
                    Events.created(usersAudience(memberId, adminId, outsiderId), "marker", "general", "normal", null)));
            String delivered = ids.get(2);
            String afterLeaving = ids.get(5);
            String marker = ids.get(6);

            for (TestSocket tab : List.of(tab1, tab2)) {
                JsonObject changed = tab.await(f -> "subscription_changed".equals(f.getString("type")), WAIT);
                assertThat(changed.getString("topic")).isEqualTo("project-42");
                assertThat(changed.getBoolean("subscribed")).isTrue();
                assertThat(changed.getLong("seq")).isPositive();
                tab.await(f -> isNotification(f, delivered), WAIT);
                tab.await(f -> isNotification(f, marker), WAIT);
                assertThat(tab.received()).noneMatch(f -> isNotification(f, ids.get(3)) || isNotification(f, afterLeaving));
                assertThat(tab.received()).anyMatch(f -> "subscription_changed".equals(f.getString("type"))
                        && !f.getBoolean("subscribed"));
            }
            for (TestSocket bystander : List.of(colleague, other)) {
                bystander.await(f -> isNotification(f, marker), WAIT);
                assertThat(bystander.received()).noneMatch(f -> isNotification(f, delivered));
            }
        }
    }

    @Test
    void malformedJson_getsErrorFrame_andSocketStaysUsable_andOthersKeepReceiving() {
        try (TestSocket socket = open(member, HEADER); Bystander bystander = Bystander.open(base)) {
            socket.send("{not json");
            JsonObject error = socket.await(f -> "error".equals(f.getString("type")), WAIT);
            assertThat(error.getString("code")).isEqualTo("malformed_json");
            socket.ready();
            assertThat(socket.closed()).isNotDone();
            bystander.assertStillReceiving();
        }
    }

    @Test
    void unknownFrameType_getsErrorFrameEchoingRef_andOthersKeepReceiving() {
        try (TestSocket socket = open(member, HEADER); Bystander bystander = Bystander.open(base)) {
            socket.send("{\"type\":\"launch_rockets\",\"ref\":\"r-7\"}");
            JsonObject error = socket.await(f -> "error".equals(f.getString("type")), WAIT);
            assertThat(error.getString("code")).isEqualTo("unknown_type");
            assertThat(error.getString("ref")).isEqualTo("r-7");
            socket.ready();
            bystander.assertStillReceiving();
        }
    }

    @Test
    void shouldRefuseUpgradeWithoutToken() {
        assertThat(TestSocket.upgradeStatus(base, WS, null, HEADER)).isEqualTo(401);
    }

    // forged and broken tokens, on the upgrade and as refresh_token: TokenAttacksTest, one test per attack
}

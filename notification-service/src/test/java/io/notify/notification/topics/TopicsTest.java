package io.notify.notification.topics;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.outbox.EventContractTest.awaitEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * Topics (issue 25): subscriptions within a company; a topic notification is stored once and reaches the subscribers
 * who subscribed before it, in the list, the counts, read and resume; subscription changes are per-user events.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class TopicsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final Tenant t = new Tenant();
    final String topic = "project-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    static ValidatableResponse subscribe(String token, String topic) {
        return given().auth().oauth2(token).put("/api/topics/" + topic + "/subscription").then();
    }

    static ValidatableResponse unsubscribe(String token, String topic) {
        return given().auth().oauth2(token).delete("/api/topics/" + topic + "/subscription").then();
    }

    static ValidatableResponse manage(String method, String token, String topic, String userId, String company) {
        var request = given().auth().oauth2(token);
        if (company != null) {
            request.queryParam("company", company);
        }
        return request.request(method, "/api/topics/" + topic + "/subscribers/" + userId).then();
    }

    static String topicAudience(String topic, String company) {
        return "{\"type\":\"topic\",\"topic\":\"" + topic + "\",\"company\":\"" + company + "\"}";
    }

    String sendToTopic(String title) {
        return t.send(body(topicAudience(topic, t.company), title));
    }

    static long unread(String token) {
        return Tenant.unread(token).getLong("total");
    }

    @Test
    void subscribe_isIdempotent_andUnsubscribeToo_eachChangeOneEvent() throws SQLException {
        JsonPath first = subscribe(t.member, topic).statusCode(200).extract().jsonPath();
        assertThat(first.getString("topic")).isEqualTo(topic);
        assertThat(first.getString("company")).isEqualTo(t.company);
        assertThat(first.getString("user_id")).isEqualTo(t.memberId);
        assertThat(first.getLong("since_seq")).isPositive();
        assertThat(first.getString("subscribed_at")).isNotNull();

        JsonPath again = subscribe(t.member, topic).statusCode(200).extract().jsonPath();
        assertThat(again.getLong("since_seq")).isEqualTo(first.getLong("since_seq"));
        assertThat(again.getString("subscribed_at")).isEqualTo(first.getString("subscribed_at"));
        assertThat(subscriptionEvents(t.memberId)).isEqualTo(1);
        JsonPath mine = given().auth().oauth2(t.member).get("/api/topics").then().statusCode(200).extract().jsonPath();
        assertThat(mine.getList("items.topic")).containsExactly(topic);
        assertThat(mine.getLong("items[0].since_seq")).isEqualTo(first.getLong("since_seq"));

        unsubscribe(t.member, topic).statusCode(204);
        unsubscribe(t.member, topic).statusCode(204);
        unsubscribe(t.member2, topic).statusCode(204); // never subscribed
        assertThat(subscriptionEvents(t.memberId)).isEqualTo(2);
        assertThat(subscriptionEvents(t.member2Id)).isZero();
        assertThat(given().auth().oauth2(t.member).get("/api/topics").then().statusCode(200).extract().jsonPath()
                .getList("items")).isEmpty();

        long resubscribed = subscribe(t.member, topic).statusCode(200).extract().jsonPath().getLong("since_seq");
        assertThat(resubscribed).isGreaterThan(first.getLong("since_seq"));
    }

    @Test
    void aSubscriber_seesTheTopicsNotificationsSentAfterSubscribing_onlyThose_untilUnsubscribing() {
        sendToTopic("Before");
        subscribe(t.member, topic).statusCode(200);
        String after = sendToTopic("After");
        t.send(body(t.companyAudience(), "Company"));

        assertThat(Tenant.titles(t.member)).containsExactly("Company", "After");
        assertThat(unread(t.member)).isEqualTo(2);
        assertThat(Tenant.inbox(t.member, Map.of("unread", true)).getList("items.title")).containsExactly("Company", "After");
        assertThat(Tenant.titles(t.member2)).as("not subscribed").containsExactly("Company");
        assertThat(unread(t.member2)).isEqualTo(1);
        given().auth().oauth2(t.member).post("/api/notifications/" + after + "/read").then().statusCode(204);
        given().auth().oauth2(t.member2).post("/api/notifications/" + after + "/read").then().statusCode(404);
        assertThat(unread(t.member)).isEqualTo(1);

        unsubscribe(t.member, topic).statusCode(204);
        assertThat(Tenant.titles(t.member)).containsExactly("Company");
        given().auth().oauth2(t.member).post("/api/notifications/" + after + "/read").then().statusCode(404);

        subscribe(t.member, topic).statusCode(200);
        assertThat(Tenant.titles(t.member)).as("a new subscription starts now").containsExactly("Company");
        sendToTopic("Later");
        assertThat(Tenant.titles(t.member)).containsExactly("Later", "Company");
        assertThat(unread(t.member)).isEqualTo(2);
    }

    /**
     * A reader with more subscriptions than the inbox walks as branches of their own ({@code InboxQueries.TOPIC_BRANCHES})
     * sees the same: each topic's notifications from its own subscription on, newest first, in pages and counts.
     */
    @Test
    void aReaderWithManySubscriptions_seesEachTopicFromItsSubscriptionOn() {
        List<String> topics = new java.util.ArrayList<>();
        for (int i = 0; i <= io.notify.notification.inbox.InboxQueries.TOPIC_BRANCHES; i++) {
            topics.add(topic + "-" + i);
        }
        t.send(body(topicAudience(topics.get(0), t.company), "Before"));
        for (String key : topics) {
            subscribe(t.member, key).statusCode(200);
        }
        for (String key : List.of(topics.get(0), topics.get(topics.size() - 1), topics.get(7))) {
            t.send(body(topicAudience(key, t.company), "To " + key));
        }
        List<String> expected = List.of("To " + topics.get(7), "To " + topics.get(topics.size() - 1), "To " + topics.get(0));
        assertThat(Tenant.titles(t.member)).containsExactlyElementsOf(expected);
        assertThat(unread(t.member)).isEqualTo(3);
        unsubscribe(t.member, topics.get(7)).statusCode(204);
        assertThat(Tenant.titles(t.member)).containsExactlyElementsOf(expected.subList(1, 3));
        assertThat(unread(t.member)).as("one subscription fewer: branches of their own again").isEqualTo(2);
    }

    @Test
    void concurrentSubscribesAndUnsubscribes_leaveOneRowPerChange_andAnEventPerChange() throws Exception {
        List<Long> since = io.notify.notification.Concurrently.run(8, 8,
                i -> subscribe(t.member, topic).statusCode(200).extract().jsonPath().getLong("since_seq"));
        assertThat(since).as("every subscribe answers the one subscription").containsOnly(since.get(0));
        assertThat(subscriptionEvents(t.memberId)).isEqualTo(1);

        io.notify.notification.Concurrently.run(8, 8, i -> i % 2 == 0
                ? unsubscribe(t.member, topic).statusCode(204).extract().asString()
                : subscribe(t.member, topic).statusCode(200).extract().asString());
        long changes = subscriptionEvents(t.memberId);
        boolean subscribed = !given().auth().oauth2(t.member).get("/api/topics").then().extract().jsonPath()
                .getList("items").isEmpty();
        // subscribes and unsubscribes alternate: the events end in the state the row is in
        assertThat(changes % 2 == 1).as("odd number of changes iff subscribed (%d changes)", changes).isEqualTo(subscribed);
        assertThat(audienceSize(sendToTopic("Counted"))).as("the topic's audience size").isEqualTo(subscribed ? 1 : 0);
    }

    @Test
    void anArchivedTopicNotification_leavesTheArchiveOnUnsubscribing() {
        subscribe(t.member, topic).statusCode(200);
        String id = sendToTopic("Archived");
        given().auth().oauth2(t.member).post("/api/notifications/" + id + "/archive").then().statusCode(204);
        assertThat(Tenant.inbox(t.member, Map.of("archived", true)).getList("items.title")).containsExactly("Archived");

        unsubscribe(t.member, topic).statusCode(204);
        assertThat(Tenant.inbox(t.member, Map.of("archived", true)).getList("items")).isEmpty();
    }

    @Test
    void anotherCompanysSubscriberOfTheSameKey_neverSeesIt_andAdminsSendToAnyCompanysTopic() {
        subscribe(t.member, topic).statusCode(200);
        subscribe(t.outsider, topic).statusCode(200);
        sendToTopic("Ours");
        assertThat(Tenant.titles(t.member)).containsExactly("Ours");
        assertThat(Tenant.titles(t.outsider)).isEmpty();
        assertThat(unread(t.outsider)).isZero();

        t.send(body(topicAudience(topic, t.otherCompany), "Theirs"));
        assertThat(Tenant.titles(t.outsider)).containsExactly("Theirs");
        assertThat(Tenant.titles(t.member)).containsExactly("Ours");
    }

    @Test
    void adminsAndServiceAccounts_manageOthersSubscriptions_usersOfOtherCompaniesAre404_plainUsers403() {
        JsonPath byAdmin = manage("PUT", t.admin, topic, t.memberId, null).statusCode(200).extract().jsonPath();
        assertThat(byAdmin.getString("user_id")).isEqualTo(t.memberId);
        assertThat(byAdmin.getString("company")).isEqualTo(t.company);
        assertThat(given().auth().oauth2(t.member).get("/api/topics").then().extract().jsonPath().getList("items.topic"))
                .containsExactly(topic);
        assertThat(manage("PUT", t.admin, topic, t.memberId, null).statusCode(200).extract().jsonPath()
                .getLong("since_seq")).isEqualTo(byAdmin.getLong("since_seq"));

        manage("PUT", t.admin, topic, t.outsiderId, null).statusCode(404).contentType("application/problem+json");
        manage("PUT", t.admin, topic, UUID.randomUUID().toString(), null).statusCode(404);
        manage("DELETE", t.admin, topic, t.outsiderId, null).statusCode(404);
        manage("PUT", t.member, topic, t.member2Id, null).statusCode(403).contentType("application/problem+json");
        manage("DELETE", t.member, topic, t.memberId, null).statusCode(403);
        given().auth().oauth2(t.member).get("/api/topics/" + topic + "/subscribers").then().statusCode(403);
        String wrongCompany = manage("PUT", t.admin, topic, t.member2Id, t.otherCompany).statusCode(400).extract().asString();
        assertThat(JsonPath.from(wrongCompany).getList("violations.field")).as(wrongCompany).containsExactly("company");

        String service = Tenant.serviceToken("svc-" + t.company, Set.of(t.company));
        manage("PUT", service, topic, t.member2Id, null).statusCode(200);
        manage("PUT", service, topic, t.outsiderId, null).statusCode(404);
        String twoCompanies = Tenant.serviceToken("svc2-" + t.company, Set.of(t.company, t.otherCompany));
        assertThat(manage("PUT", twoCompanies, topic, t.adminId, null).statusCode(400).extract().jsonPath()
                .getList("violations.field")).containsExactly("company");
        manage("PUT", twoCompanies, topic, t.outsiderId, t.otherCompany).statusCode(200);
        manage("PUT", twoCompanies, topic, t.outsiderId, "nope").statusCode(400);

        manage("DELETE", service, topic, t.member2Id, null).statusCode(204);
        manage("DELETE", t.admin, topic, t.memberId, null).statusCode(204);
        assertThat(given().auth().oauth2(t.member).get("/api/topics").then().extract().jsonPath().getList("items")).isEmpty();
        sendToTopic("Nobody");
        assertThat(Tenant.titles(t.member)).isEmpty();
        assertThat(Tenant.titles(t.outsider)).as("their company's topic of the same key").isEmpty();
    }

    @Test
    void subscribers_arePagedByUserId() {
        List<String> ids = new java.util.ArrayList<>(List.of(t.adminId, t.memberId, t.member2Id));
        ids.forEach(id -> manage("PUT", t.admin, topic, id, null).statusCode(200));
        java.util.Collections.sort(ids);

        JsonPath first = given().auth().oauth2(t.admin).queryParam("limit", 2).get("/api/topics/" + topic + "/subscribers")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.user_id")).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.getLong("items[0].since_seq")).isPositive();
        assertThat(first.getString("next_after")).isEqualTo(ids.get(1));
        String secondBody = given().auth().oauth2(t.admin).queryParam("limit", 2).queryParam("after", ids.get(1))
                .get("/api/topics/" + topic + "/subscribers").then().statusCode(200).extract().asString();
        JsonPath second = JsonPath.from(secondBody);
        assertThat(second.getList("items.user_id")).containsExactly(ids.get(2));
        assertThat(secondBody).contains("\"next_after\":null");
        given().auth().oauth2(t.admin).queryParam("limit", 501).get("/api/topics/" + topic + "/subscribers")
                .then().statusCode(400);
    }

    @Test
    void aBadKey_is400NamingKey() {
        for (String bad : List.of("-starts-with-dash", "has%20space", "x".repeat(129), "caf%C3%A9")) {
            JsonPath problem = given().auth().oauth2(t.member).urlEncodingEnabled(false)
                    .put("/api/topics/" + bad + "/subscription").then().statusCode(400)
                    .contentType("application/problem+json").extract().jsonPath();
            assertThat(problem.getList("violations.field")).as(bad).containsExactly("key");
        }
        subscribe(t.member, "a." + "b".repeat(126)).statusCode(200);
        subscribe(t.member, "invoice:1001_x-y").statusCode(200);
    }

    @Test
    void sends_aServiceAccountToAnotherCompanysTopicIs400NamingAudienceCompany_usersAre403_badCombosNameTheirField() {
        String service = Tenant.serviceToken("svc-" + t.company, Set.of(t.company));
        assertThat(sendProblem(service, topicAudience(topic, t.otherCompany), 400)).containsExactly("audience.company");
        given().auth().oauth2(service).contentType(ContentType.JSON).body(body(topicAudience(topic, t.company), "OK"))
                .post("/api/notifications").then().statusCode(201);
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body(body(topicAudience(topic, t.company), "No"))
                .post("/api/notifications").then().statusCode(403);

        assertThat(sendProblem(t.admin, "{\"type\":\"topic\",\"company\":\"" + t.company + "\"}", 400))
                .containsExactly("audience.topic");
        assertThat(sendProblem(t.admin, "{\"type\":\"topic\",\"topic\":\"" + topic + "\"}", 400))
                .containsExactly("audience.company");
        assertThat(sendProblem(t.admin, "{\"type\":\"company\",\"company\":\"" + t.company + "\",\"topic\":\"x\"}", 400))
                .containsExactly("audience.topic");
        assertThat(sendProblem(t.admin, "{\"type\":\"topic\",\"topic\":\"x\",\"company\":\"" + t.company
                + "\",\"user_ids\":[\"" + t.memberId + "\"]}", 400)).containsExactly("audience.user_ids");
        assertThat(sendProblem(t.admin, "{\"type\":\"topic\",\"topic\":\"x\",\"company\":\"" + t.company
                + "\",\"role\":\"user\"}", 400)).containsExactly("audience.role");
        assertThat(sendProblem(t.admin, topicAudience("bad key", t.company), 400)).containsExactly("audience.topic");
    }

    @Test
    void aTopicSend_isStoredOnce_withItsSubscribersAsAudienceSize() throws SQLException {
        subscribe(t.member, topic).statusCode(200);
        subscribe(t.member2, topic).statusCode(200);
        String id = sendToTopic("Sized");
        JsonPath sent = given().auth().oauth2(t.admin).get("/api/notifications/" + id + "/delivery").then().statusCode(200)
                .extract().jsonPath();
        assertThat(sent.getInt("audience_size")).isEqualTo(2);
        assertThat(sent.getString("audience.topic")).isEqualTo(topic);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM notification_recipients WHERE notification_id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("no recipient rows").isZero();
            }
        }
        JsonPath inbox = Tenant.inbox(t.member, Map.of());
        assertThat(inbox.getString("items[0].audience.type")).isEqualTo("topic");
        assertThat(inbox.getString("items[0].audience.topic")).isEqualTo(topic);
    }

    @Test
    void aTopicSendsAudienceSize_isTheSubscribersAtSendTime_asTheyComeAndGo() {
        assertThat(audienceSize(sendToTopic("Nobody yet"))).isZero();
        subscribe(t.member, topic).statusCode(200);
        subscribe(t.member, topic).statusCode(200); // a repeated subscribe is one subscriber
        subscribe(t.member2, topic).statusCode(200);
        subscribe(t.member2, topic + "-other").statusCode(200);
        assertThat(audienceSize(sendToTopic("Two"))).isEqualTo(2);

        unsubscribe(t.member2, topic).statusCode(204);
        unsubscribe(t.member2, topic).statusCode(204); // not subscribed any more: changes nothing
        assertThat(audienceSize(sendToTopic("One"))).isEqualTo(1);
        unsubscribe(t.member, topic).statusCode(204);
        assertThat(audienceSize(sendToTopic("None again"))).isZero();
        subscribe(t.member2, topic).statusCode(200);
        assertThat(audienceSize(sendToTopic("Back"))).isEqualTo(1);
        assertThat(audienceSize(t.send(body(topicAudience(topic + "-other", t.company), "Other")))).isEqualTo(1);
    }

    @Test
    void subscriptionsWrittenByAnyWriter_areCounted_asAPodOfThePreviousVersionWritesThemDuringARollingUpgrade()
            throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO topic_subscriptions (company, topic, user_id, since_seq) VALUES (?, ?, ?, 1)")) {
            for (int i = 0; i < 3; i++) {
                insert.setString(1, t.company);
                insert.setString(2, topic);
                insert.setString(3, "earlier-pod-" + i);
                insert.executeUpdate();
            }
        }
        assertThat(audienceSize(sendToTopic("Three"))).isEqualTo(3);
        try (Connection c = db.getConnection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM topic_subscriptions WHERE company = ? AND topic = ? AND user_id <> 'earlier-pod-0'")) {
            delete.setString(1, t.company);
            delete.setString(2, topic);
            assertThat(delete.executeUpdate()).isEqualTo(2);
        }
        assertThat(audienceSize(sendToTopic("One left"))).isEqualTo(1);
        assertThat(subscriberCountRows()).as("one row per topic with subscribers").isEqualTo(1);
        try (Connection c = db.getConnection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM topic_subscriptions WHERE company = ? AND topic = ?")) {
            delete.setString(1, t.company);
            delete.setString(2, topic);
            delete.executeUpdate();
        }
        assertThat(audienceSize(sendToTopic("Nobody"))).isZero();
        assertThat(subscriberCountRows()).as("a topic nobody is subscribed to keeps no row").isZero();
    }

    @Test
    void theKafkaIntake_acceptsATopicAudience_andChargesTheCompanysQuota() throws SQLException {
        subscribe(t.member, topic).statusCode(200);
        String request = "{\"audience\":" + topicAudience(topic, t.company) + ",\"title\":\"From Kafka\","
                + "\"message\":\"Hello\"}";
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", t.company,
                request.getBytes(StandardCharsets.UTF_8)));

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Tenant.titles(t.member)).containsExactly("From Kafka"));
        assertThat(Tenant.titles(t.member2)).isEmpty();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT COALESCE(sum(used), 0) FROM send_quota_usage WHERE scope = 'company' AND key = ?")) {
            s.setString(1, t.company);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void subscriptionChanges_arePublishedAsUserEvents_inTheContract_andResumeReplaysThem() throws Exception {
        long before = given().auth().oauth2(t.member).queryParam("after", 0).queryParam("limit", 1000)
                .get("/api/notifications/resume").then().statusCode(200).extract().jsonPath().getLong("last_seq");
        long since = subscribe(t.member, topic).statusCode(200).extract().jsonPath().getLong("since_seq");
        unsubscribe(t.member, topic).statusCode(204);

        String subscribed = awaitEvent("subscription_changed", t.memberId, topic, "\"subscribed\":true");
        String unsubscribedEvent = awaitEvent("subscription_changed", t.memberId, topic, "\"subscribed\":false");
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, subscribed);
        Contracts.assertValid(Contracts.NOTIFICATION_EVENT, unsubscribedEvent);
        JsonNode event = JSON.readTree(subscribed);
        assertThat(event.path("seq").asLong()).isEqualTo(since);
        assertThat(event.at("/subscription/company").asText()).isEqualTo(t.company);
        assertThat(event.at("/audience/user_ids/0").asText()).isEqualTo(t.memberId);

        JsonPath missed = given().auth().oauth2(t.member).queryParam("after", before).get("/api/notifications/resume")
                .then().statusCode(200).extract().jsonPath();
        assertThat(missed.getList("events.kind")).containsExactly("subscription_changed", "subscription_changed");
        assertThat(missed.getLong("events[0].seq")).isEqualTo(since);
        assertThat(missed.getString("events[0].subscription.topic")).isEqualTo(topic);
        assertThat(missed.getBoolean("events[0].subscription.subscribed")).isTrue();
        assertThat(missed.getBoolean("events[1].subscription.subscribed")).isFalse();
    }

    @Test
    void resume_afterSubscribing_replaysTheTopicsNotifications() {
        long since = subscribe(t.member, topic).statusCode(200).extract().jsonPath().getLong("since_seq");
        String id = sendToTopic("Missed");
        JsonPath missed = given().auth().oauth2(t.member).queryParam("after", since).get("/api/notifications/resume")
                .then().statusCode(200).extract().jsonPath();
        assertThat(missed.getList("events.notification.id")).contains(id);
    }

    @Test
    void theGatewaysPreferenceLoad_answersEachUsersSubscriptions() {
        long since = subscribe(t.member, topic).statusCode(200).extract().jsonPath().getLong("since_seq");
        subscribe(t.member, topic + "-b").statusCode(200);
        String body = given().auth().oauth2(TestTokens.gatewayToken()).contentType(ContentType.JSON)
                .body(Map.of("user_ids", List.of(t.memberId, t.member2Id))).post("/api/notifications/preferences/muted")
                .then().statusCode(200).extract().asString();
        JsonPath answer = JsonPath.from(body);
        assertThat(answer.getList("results[0].topics.topic", String.class)).containsExactlyInAnyOrder(topic, topic + "-b");
        assertThat(answer.getList("results[0].topics.company", String.class)).containsOnly(t.company);
        assertThat(answer.getList("results[0].topics.since_seq", Long.class)).contains(since);
        assertThat(answer.getMap("results[1]")).doesNotContainKey("topics");
    }

    private static List<String> sendProblem(String token, String audience, int status) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body(audience, "T"))
                .post("/api/notifications").then().statusCode(status).contentType("application/problem+json")
                .extract().jsonPath().getList("violations.field");
    }

    private int audienceSize(String notificationId) {
        return given().auth().oauth2(t.admin).get("/api/notifications/" + notificationId + "/delivery").then()
                .statusCode(200).extract().jsonPath().getInt("audience_size");
    }

    private long subscriberCountRows() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM topic_subscriber_counts WHERE company = ? AND topic = ?")) {
            s.setString(1, t.company);
            s.setString(2, topic);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long subscriptionEvents(String userId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM user_events WHERE user_id = ? AND kind = 'subscription_changed'")) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestSocket.Carrier.HEADER;
import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.gateway.client.StoreStandIn;
import io.notify.gateway.receipts.LongReceiptWindow;
import io.notify.gateway.receipts.ReceiptPublisher;
import io.notify.gateway.receipts.ReceiptRecords;
import io.notify.gateway.routing.Session;
import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/**
 * Delivery receipts end to end: a socket acknowledges the {@code notification} frames pushed to it (live or
 * replayed by {@code resume}), and the gateway publishes one record per notification and window on
 * {@code notification-receipts}, valid against the contract (the producer side of {@code NotificationReceipts}).
 * An ack of anything that was not pushed to that very socket, or a malformed one, is refused and counts nothing.
 * The window is closed by the test ({@link LongReceiptWindow}), as the timer would.
 */
@QuarkusTest
@TestProfile(LongReceiptWindow.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = StoreStandIn.class, restrictToAnnotatedClass = true)
class SocketAcksTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    @Inject
    ReceiptPublisher receipts;

    final String company = "co_" + UUID.randomUUID().toString().substring(0, 8);
    final String memberId = UUID.randomUUID().toString();
    final String otherId = UUID.randomUUID().toString();
    final String member = token(memberId, "member", company, Set.of("user"));
    final String other = token(otherId, "other", company, Set.of("user"));

    @BeforeEach
    void ready() {
        StoreStandIn.answer(StoreStandIn::nothingMuted);
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    TestSocket open(String token) {
        return TestSocket.connect(base, "/api/ws", token, HEADER).ready();
    }

    String publishTo(String... userIds) {
        JsonObject audience = new JsonObject().put("type", userIds.length == 1 ? "user" : "users")
                .put("user_ids", new JsonArray(List.of((Object[]) userIds)));
        return Events.publish(company, List.of(Events.created(audience, "t", "general", "normal", null))).get(0);
    }

    static String ack(String... ids) {
        return new JsonObject().put("type", "ack").put("ids", new JsonArray(List.of((Object[]) ids))).encode();
    }

    /** Sends {@code frame}, then a ping: its pong means the frame was handled (an accepted ack has no reply). */
    static void sendAndSettle(TestSocket socket, String frame) {
        socket.send(frame);
        socket.ready();
    }

    static boolean isNotification(JsonObject frame, String id) {
        return "notification".equals(frame.getString("type")) && id.equals(frame.getString("id"));
    }

    static boolean isError(JsonObject frame, String code) {
        return "error".equals(frame.getString("type")) && code.equals(frame.getString("code"));
    }

    @Test
    void twoSocketsOfOneUserAcking_makeOneValidRecord_withTwoSockets() {
        try (TestSocket tab1 = open(member); TestSocket tab2 = open(member)) {
            String id = publishTo(memberId);
            tab1.await(f -> isNotification(f, id), WAIT);
            tab2.await(f -> isNotification(f, id), WAIT);
            sendAndSettle(tab1, ack(id));
            sendAndSettle(tab2, ack(id));
            assertThat(tab1.received()).noneMatch(f -> "error".equals(f.getString("type")));
            assertThat(tab2.received()).noneMatch(f -> "error".equals(f.getString("type")));
            receipts.flush();

            List<ConsumerRecord<String, String>> records = ReceiptRecords.of(id, 1, WAIT);
            assertThat(records).hasSize(1);
            Contracts.assertValid(Contracts.NOTIFICATION_RECEIPTS, records.get(0).value());
            JsonObject record = new JsonObject(records.get(0).value());
            assertThat(record.getString("notification_id")).isEqualTo(id);
            assertThat(record.getString("gateway")).isEqualTo("gateway-under-test");
            JsonArray users = record.getJsonArray("receipts");
            assertThat(users).hasSize(1);
            assertThat(users.getJsonObject(0).getString("user_id")).isEqualTo(memberId);
            assertThat(users.getJsonObject(0).getString("company")).isEqualTo(company);
            assertThat(users.getJsonObject(0).getInteger("sockets")).isEqualTo(2);
        }
    }

    /**
     * A socket that never acknowledges keeps at most {@link Session#PENDING_ACKS_BOUND} ids: each push past it forgets
     * the oldest (its ack is then not_found), and operators see every forgotten id counted, however the pushes were
     * batched.
     */
    @Test
    void pushesPastTheBoundUnacknowledged_forgetTheOldest_andEachIsCounted() {
        try (TestSocket mine = open(member)) {
            double before = forgotten();
            int past = 5;
            JsonObject audience = new JsonObject().put("type", "user").put("user_ids", new JsonArray(List.of(memberId)));
            List<JsonObject> events = java.util.stream.IntStream.range(0, Session.PENDING_ACKS_BOUND + past)
                    .mapToObj(i -> Events.created(audience, "t" + i, "general", "normal", null)).toList();
            // in bursts of 50 (~20 KB of frames): all 261 at once could outrun this test's own client on a busy machine
            // past the test profile's 64 KB outbound bound, and the gateway would close it as a slow consumer
            List<String> ids = new java.util.ArrayList<>();
            for (int from = 0; from < events.size(); from += 50) {
                List<String> burst = Events.publish(company, events.subList(from, Math.min(events.size(), from + 50)));
                ids.addAll(burst);
                mine.await(f -> isNotification(f, burst.get(burst.size() - 1)), WAIT);
            }

            assertThat(forgotten()).isEqualTo(before + past);
            mine.send(ack(ids.get(past - 1)));
            assertThat(mine.await(f -> isError(f, "not_found"), WAIT).getString("message")).contains(ids.get(past - 1));
            sendAndSettle(mine, ack(ids.get(past)));
            assertThat(mine.received()).filteredOn(f -> isError(f, "not_found")).hasSize(1);
        }
    }

    static double forgotten() {
        return io.notify.infra.test.PrometheusText.value(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "notify_gateway_pending_acks_forgotten_total");
    }

    @Test
    void anAckOfAnIdNotPushedToThisSocket_isNotFound_andPublishesNothing() {
        try (TestSocket mine = open(member); TestSocket theirs = open(other)) {
            String theirId = publishTo(otherId);
            String mineId = publishTo(memberId);
            theirs.await(f -> isNotification(f, theirId), WAIT);
            mine.await(f -> isNotification(f, mineId), WAIT);
            String never = UUID.randomUUID().toString();
            double accepted = SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"accepted\"");
            double unknown = SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"unknown\"");
            double published = SocketLimitsTest.counter("notify_gateway_receipt_records_total", "outcome=\"published\"");

            // someone else's notification, one never sent, and (in the same frame) this socket's own
            mine.send(new JsonObject().put("type", "ack").put("ref", "r1")
                    .put("ids", new JsonArray(List.of(theirId, never, mineId))).encode());
            JsonObject error = mine.await(f -> isError(f, "not_found"), WAIT);
            assertThat(error.getString("ref")).isEqualTo("r1");
            assertThat(error.getString("message")).contains(theirId, never).doesNotContain(mineId);
            // acknowledged once: the second time it is not pending any more
            mine.send(new JsonObject().put("type", "ack").put("ref", "r2").put("ids", new JsonArray(List.of(mineId))).encode());
            assertThat(mine.await(f -> "r2".equals(f.getString("ref")), WAIT).getString("code")).isEqualTo("not_found");
            receipts.flush();

            List<ConsumerRecord<String, String>> own = ReceiptRecords.of(mineId, 1, WAIT);
            assertThat(own).hasSize(1);
            assertThat(new JsonObject(own.get(0).value()).getJsonArray("receipts").getJsonObject(0).getInteger("sockets"))
                    .isEqualTo(1);
            assertThat(ReceiptRecords.of(theirId, 0, WAIT)).as("records of someone else's notification").isEmpty();
            assertThat(ReceiptRecords.of(never, 0, WAIT)).isEmpty();
            // ids are counted, not frames
            assertThat(SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"accepted\"")).isEqualTo(accepted + 1);
            assertThat(SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"unknown\"")).isEqualTo(unknown + 3);
            Awaitility.await().atMost(WAIT).until(() -> SocketLimitsTest.counter("notify_gateway_receipt_records_total",
                    "outcome=\"published\"") >= published + 1);
            // and their own socket may still acknowledge it
            sendAndSettle(theirs, ack(theirId));
            assertThat(theirs.received()).noneMatch(f -> "error".equals(f.getString("type")));
        }
    }

    /**
     * The clients' own spelling is read off the Netty pipeline, any other valid one by the general path: both count
     * alike, and an id listed twice in one frame counts once (the second is not_found).
     */
    @Test
    void acksInAnyJsonSpelling_countAlike_andAnIdListedTwiceCountsOnce() {
        try (TestSocket socket = open(member)) {
            String a = publishTo(memberId);
            String b = publishTo(memberId);
            String c = publishTo(memberId);
            socket.await(f -> isNotification(f, c), WAIT);
            double accepted = SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"accepted\"");
            double unknown = SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"unknown\"");

            sendAndSettle(socket, ack(a));
            sendAndSettle(socket, "{ \"ids\": [ \"" + b.toUpperCase(java.util.Locale.ROOT) + "\" ], \"type\": \"ack\" }");
            assertThat(socket.received()).noneMatch(f -> "error".equals(f.getString("type")));
            socket.send("{\"type\":\"ack\",\"ids\":[\"" + c + "\",\"" + c + "\"]}");
            assertThat(socket.await(f -> isError(f, "not_found"), WAIT).getString("message")).contains(c);

            assertThat(SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"accepted\"")).isEqualTo(accepted + 3);
            assertThat(SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"unknown\"")).isEqualTo(unknown + 1);
            receipts.flush();
            for (String id : List.of(a, b, c)) {
                List<ConsumerRecord<String, String>> records = ReceiptRecords.of(id, 1, WAIT);
                assertThat(records).as(id).hasSize(1);
                assertThat(new JsonObject(records.get(0).value()).getJsonArray("receipts").getJsonObject(0)
                        .getInteger("sockets")).as(id).isEqualTo(1);
            }
        }
    }

    /** Acks count against the socket's inbound rate like any frame, whichever path reads them. */
    @Test
    void aFloodOfAcks_isRateLimited() {
        try (TestSocket socket = open(member)) {
            JsonObject audience = new JsonObject().put("type", "user").put("user_ids", new JsonArray(List.of(memberId)));
            List<String> ids = Events.publish(company, IntStream.range(0, 100)
                    .mapToObj(i -> Events.created(audience, "t" + i, "general", "normal", null)).toList());
            socket.await(f -> isNotification(f, ids.get(ids.size() - 1)), WAIT);
            double accepted = SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"accepted\"");

            ids.forEach(id -> socket.send(ack(id))); // one frame each: far over 40 at once and 20 a second

            socket.await(f -> isError(f, "rate_limited"), WAIT);
            assertThat(SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"accepted\""))
                    .isLessThan(accepted + ids.size());
        }
    }

    @Test
    void malformedAcks_areInvalidRequests_andCountNothing() {
        try (TestSocket socket = open(member)) {
            String id = publishTo(memberId);
            socket.await(f -> isNotification(f, id), WAIT);
            double invalid = SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"invalid\"");
            String[] tooMany = IntStream.range(0, 101).mapToObj(i -> i == 0 ? id : UUID.randomUUID().toString())
                    .toArray(String[]::new);
            List<String> bad = List.of(ack(tooMany), "{\"type\":\"ack\",\"ids\":[]}", "{\"type\":\"ack\"}",
                    "{\"type\":\"ack\",\"ids\":\"" + id + "\"}", "{\"type\":\"ack\",\"ids\":[\"" + id + "\",\"nope\"]}",
                    "{\"type\":\"ack\",\"ids\":[\"" + id + "\",42]}");
            for (int i = 0; i < bad.size(); i++) {
                String ref = "bad-" + i;
                socket.send(new JsonObject(bad.get(i)).put("ref", ref).encode());
                JsonObject reply = socket.await(f -> ref.equals(f.getString("ref")), WAIT);
                assertThat(reply.getString("code")).as(bad.get(i)).isEqualTo("invalid_request");
            }
            assertThat(SocketLimitsTest.counter("notify_gateway_acks_total", "outcome=\"invalid\"")).isEqualTo(invalid + bad.size());
            // nothing was counted: the id is still pending, so acknowledging it now is accepted
            sendAndSettle(socket, ack(id));
            assertThat(socket.received()).noneMatch(f -> isError(f, "not_found"));
        }
    }

    @Test
    void aResumeReplaysFrames_thatCanBeAcknowledged() {
        String id = UUID.randomUUID().toString();
        JsonObject audience = new JsonObject().put("type", "user").put("user_ids", new JsonArray(List.of(memberId)));
        JsonObject event = Events.created(audience, "missed", "general", "normal", null);
        event.getJsonObject("notification").put("id", id);
        StoreStandIn.answer(request -> {
            if (!request.path().endsWith("/resume")) {
                StoreStandIn.nothingMuted(request);
                return;
            }
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "ok")
                    .put("last_seq", event.getLong("seq")).put("events", new JsonArray().add(event)).encode());
        });
        try (TestSocket socket = open(member)) {
            socket.send("{\"type\":\"resume\",\"ref\":\"r\",\"last_seq\":0}");
            socket.await(f -> isNotification(f, id), WAIT);
            socket.await(f -> "resumed".equals(f.getString("type")), WAIT);
            sendAndSettle(socket, ack(id));
            assertThat(socket.received()).noneMatch(f -> "error".equals(f.getString("type")));
            receipts.flush();
            assertThat(ReceiptRecords.of(id, 1, WAIT)).hasSize(1);
        }
    }
}

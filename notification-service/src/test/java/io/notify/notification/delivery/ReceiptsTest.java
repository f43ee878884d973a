package io.notify.notification.delivery;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.delivery.DeliveryTesting.count;
import static io.notify.notification.delivery.DeliveryTesting.events;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.notify.notification.delivery.DeliveryMetrics.Outcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * A whole Kafka poll of receipt records applied at once ({@link Receipts#applyAll}): records of the same user and
 * notification, duplicates and unknown notifications mixed in one poll, several notifications in one poll, and polls
 * applied concurrently, each counted as if its records had been applied one by one.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ReceiptsTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-01-01T10:00:00Z");

    final Tenant t = new Tenant();

    @Inject
    Receipts receipts;

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    /** One record (a fresh batch id) of one receipt per user, each with {@code sockets} sockets acked from 0 to 1 s. */
    static NotificationReceipts record(String notificationId, int sockets, String... users) {
        return record(UUID.randomUUID(), notificationId, sockets, 0, 1, users);
    }

    static NotificationReceipts record(UUID batchId, String notificationId, int sockets, int firstSecond,
            int lastSecond, String... users) {
        List<NotificationReceipts.Receipt> list = new ArrayList<>();
        for (String user : users) {
            list.add(new NotificationReceipts.Receipt(user, "co_r", sockets, T0.plusSeconds(firstSecond),
                    T0.plusSeconds(lastSecond)));
        }
        return new NotificationReceipts(1, batchId, "gw-test", UUID.fromString(notificationId), list);
    }

    Receipts.Counters counters(String notificationId) {
        return receipts.counters(UUID.fromString(notificationId));
    }

    @Test
    void twoRecordsOfTheSameUserInOnePoll_countTheUserOnce_andSumTheSockets() {
        String id = t.send(body(t.companyAudience(), "Twice in a poll"));
        assertThat(receipts.applyAll(List.of(record(id, 1, "u-before")))).containsExactly(Outcome.APPLIED);

        List<Outcome> outcomes = receipts.applyAll(List.of(
                record(UUID.randomUUID(), id, 2, 5, 6, "u-new", "u-before"),
                record(UUID.randomUUID(), id, 3, 3, 9, "u-before", "u-new")));

        assertThat(outcomes).containsExactly(Outcome.APPLIED, Outcome.APPLIED);
        Receipts.Counters c = counters(id);
        assertThat(c.deliveredUsers()).as("u-new once; u-before was counted by the first poll").isEqualTo(2);
        assertThat(c.deliveredSockets()).isEqualTo(1 + 2 + 3 + 2 + 3);
        assertThat(c.firstDeliveredAt()).isAtSameInstantAs(T0);
        assertThat(c.lastDeliveredAt()).isAtSameInstantAs(T0.plusSeconds(9));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<JsonPath> events = events(id);
            assertThat(events).hasSize(2);
            assertThat(count(events, "delivered", "u-before")).isEqualTo(1);
            assertThat(count(events, "delivered", "u-new")).isEqualTo(1);
        });
        JsonPath fresh = events(id).stream().filter(e -> "u-new".equals(e.getString("user_id"))).findFirst()
                .orElseThrow();
        assertThat(OffsetDateTime.parse(fresh.getString("occurred_at"))).as("the poll's first ack of the user")
                .isAtSameInstantAs(T0.plusSeconds(3));
    }

    @Test
    void aPollMixingNewDuplicateAndUnknownRecords_answersEachInOrder_andDuplicatesChangeNothing() {
        String id = t.send(body(t.companyAudience(), "Mixed"));
        String past = OffsetDateTime.now().minusMinutes(1).toString();
        String expired = t.send(body(t.companyAudience(), "Expired").replace("\"link\"",
                "\"expires_at\":\"" + past + "\",\"link\""));
        NotificationReceipts applied = record(id, 2, "u-1");
        assertThat(receipts.apply(applied)).isEqualTo(Outcome.APPLIED);
        double duplicatesBefore = ReceiptConsumerTest.metric("duplicate");
        double unknownBefore = ReceiptConsumerTest.metric("unknown_notification");
        NotificationReceipts next = record(id, 1, "u-2");
        String unknown = UUID.randomUUID().toString();

        List<Outcome> outcomes = receipts.applyAll(List.of(
                record(unknown, 1, "u-1"),
                applied, // redelivered after a restart
                next,
                record(expired, 1, "u-1"),
                next, // the same record twice in one poll (a producer retry)
                record(next.batchId(), id, 5, 0, 1, "u-3"))); // a batch id reused: a duplicate as well

        assertThat(outcomes).containsExactly(Outcome.UNKNOWN_NOTIFICATION, Outcome.DUPLICATE, Outcome.APPLIED,
                Outcome.UNKNOWN_NOTIFICATION, Outcome.DUPLICATE, Outcome.DUPLICATE);
        Receipts.Counters c = counters(id);
        assertThat(c.deliveredUsers()).isEqualTo(2);
        assertThat(c.deliveredSockets()).as("the first record and the new one, nothing of the duplicates")
                .isEqualTo(2 + 1);
        assertThat(counters(expired).deliveredUsers()).isZero();
        assertThat(ReceiptConsumerTest.metric("duplicate") - duplicatesBefore).isEqualTo(3);
        assertThat(ReceiptConsumerTest.metric("unknown_notification") - unknownBefore).isEqualTo(2);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<JsonPath> events = events(id);
            assertThat(events).hasSize(2);
            assertThat(count(events, "delivered", "u-1")).isEqualTo(1);
            assertThat(count(events, "delivered", "u-2")).isEqualTo(1);
        });
    }

    @Test
    void recordsOfSeveralNotificationsInOnePoll_areEachCounted_withOneDeliveredEventPerNotificationAndUser() {
        String first = t.send(body(t.companyAudience(), "First"));
        String second = t.send(body(t.companyAudience(), "Second"));

        List<Outcome> outcomes = receipts.applyAll(List.of(
                record(second, 1, "u-a", "u-b"),
                record(first, 2, "u-a"),
                record(second, 4, "u-a")));

        assertThat(outcomes).containsOnly(Outcome.APPLIED).hasSize(3);
        assertThat(counters(first).deliveredUsers()).isEqualTo(1);
        assertThat(counters(first).deliveredSockets()).isEqualTo(2);
        assertThat(counters(second).deliveredUsers()).isEqualTo(2);
        assertThat(counters(second).deliveredSockets()).isEqualTo(1 + 1 + 4);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<JsonPath> events = events(second);
            assertThat(events).hasSize(2);
            assertThat(count(events, "delivered", "u-a")).isEqualTo(1);
            assertThat(count(events, "delivered", "u-b")).isEqualTo(1);
            assertThat(events).allSatisfy(e -> assertThat(e.getString("notification_id")).isEqualTo(second));
        });
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            List<JsonPath> events = events(first);
            assertThat(events).hasSize(1);
            assertThat(count(events, "delivered", "u-a")).isEqualTo(1);
            assertThat(events.get(0).getString("notification_id")).isEqualTo(first);
        });
    }

    /**
     * Polls over the same notifications and users, their records in different orders, applied at once without the
     * consumer's retry: a lock taken out of order would deadlock one of them, and an uncounted or doubly counted
     * user would show in the counters.
     */
    @Test
    void pollsOverTheSameNotificationsAppliedConcurrently_neitherDeadlockNorMiscount() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(t.send(body(t.companyAudience(), "Concurrent " + i)));
        }
        String[] users = { "u-1", "u-2", "u-3", "u-4", "u-5", "u-6" };
        int polls = 6;
        var pool = Executors.newFixedThreadPool(polls);
        var start = new CountDownLatch(1);
        try {
            List<Future<List<Outcome>>> applied = new ArrayList<>();
            for (int p = 0; p < polls; p++) {
                List<NotificationReceipts> poll = new ArrayList<>();
                for (String id : ids) {
                    List<String> shuffled = new ArrayList<>(List.of(users));
                    Collections.shuffle(shuffled);
                    poll.add(record(id, 1, shuffled.subList(0, 3).toArray(String[]::new)));
                    poll.add(record(id, 1, shuffled.subList(2, 6).toArray(String[]::new)));
                }
                Collections.shuffle(poll);
                applied.add(pool.submit(() -> {
                    start.await();
                    return receipts.applyAll(poll);
                }));
            }
            start.countDown();
            for (var outcomes : applied) {
                assertThat(outcomes.get(60, TimeUnit.SECONDS)).containsOnly(Outcome.APPLIED);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String id : ids) {
            assertThat(counters(id).deliveredUsers()).as(id).isEqualTo(users.length);
            assertThat(counters(id).deliveredSockets()).as(id).isEqualTo(polls * 7L);
        }
    }
}

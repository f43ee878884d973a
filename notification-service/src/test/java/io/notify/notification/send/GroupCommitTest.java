package io.notify.notification.send;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.notify.notification.outbox.OutboxRelay;
import io.notify.notification.outbox.SequencedOutbox;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Concurrent sends are stored in shared transactions (SendBatcher): each still gets its own seq, in
 * the order the inbox shows them, an idempotency key repeated inside one batch stores one row, and
 * the outbox relay publishes each send's event once.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class GroupCommitTest {

    final Tenant t = new Tenant();

    @Test
    void concurrentSends_allStored_eachWithItsOwnSeq() throws Exception {
        List<Response> answers = concurrently(64, i -> given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(Tenant.body(t.companyAudience(), "Burst " + i)).post("/api/notifications"));

        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
        List<Long> seqs = answers.stream().map(r -> r.jsonPath().getLong("seq")).toList();
        assertThat(seqs).doesNotHaveDuplicates();
        JsonPath inbox = Tenant.inbox(t.member, java.util.Map.of("limit", 100));
        List<Long> listed = inbox.getList("items.seq", Long.class);
        assertThat(listed).hasSize(64).containsExactlyInAnyOrderElementsOf(seqs)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void concurrentSends_eachEventIsRelayedToKafkaOnce_withoutARelayFailure() throws Exception {
        int sends = 512;
        List<java.util.logging.LogRecord> relayWarnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger relayLog = java.util.logging.Logger.getLogger(OutboxRelay.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    relayWarnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        relayLog.addHandler(capture);
        try {
            List<Response> answers = concurrently(sends, 64, i -> given().auth().oauth2(t.admin)
                    .contentType(ContentType.JSON).body(Tenant.body(t.companyAudience(), "Relayed " + i))
                    .post("/api/notifications"));
            assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
            // an outbox row is deleted only in the transaction that relayed it: a relay batch rolled
            // back after Kafka took it stays in the outbox and is sent again
            await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows() == 0);
        } finally {
            relayLog.removeHandler(capture);
        }

        assertThat(relayWarnings).as("relay failures (each one pauses the relay and re-sends its batch)")
                .extracting(java.util.logging.LogRecord::getMessage).isEmpty();
        List<String> seqs = KafkaRecords.readToEnd(SequencedOutbox.EVENTS_TOPIC,
                r -> t.company.equals(r.key()) && KafkaRecords.isKind(new String(r.value()), "created"))
                .stream().map(r -> JsonPath.from(new String(r.value())).getString("seq")).toList();
        assertThat(seqs).as("one created event per send, none sent twice").hasSize(sends).doesNotHaveDuplicates();
    }

    @Inject
    AgroalDataSource database;

    private long outboxRows() throws Exception {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Inject
    Scheduler scheduler;

    @Test
    void whileAnotherInstancesRelayHoldsTheLock_nothingIsRelayed_andOnceItLetsGoThisRelayTriesAgainAtOnce()
            throws Exception {
        String title = "Held back " + java.util.UUID.randomUUID();
        // the other instance's relay may have read the outbox before this send committed: this relay must
        // not leave the entry to that relay's next cycle or to its own poll (paused here, so it cannot help)
        scheduler.pause(OutboxRelay.POLL);
        try {
            try (Connection otherRelay = database.getConnection()) {
                otherRelay.setAutoCommit(false);
                try (Statement s = otherRelay.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + OutboxRelay.RELAY_LOCK + ")");
                }
                given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                        .body(Tenant.body(t.companyAudience(), title)).post("/api/notifications").then().statusCode(201);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> outboxRows(title) == 1);
                otherRelay.rollback();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> outboxRows(title) == 0);
        } finally {
            scheduler.resume(OutboxRelay.POLL);
        }
        assertThat(KafkaRecords.readToEnd(SequencedOutbox.EVENTS_TOPIC, r -> new String(r.value()).contains(title)))
                .as("relayed once the lock was free, once").hasSize(1);
    }

    @Test
    void anEntryLeftBelowWhatTheRelayRelayed_asByADeleteLostInACrash_isRelayedAgainByThePoll() throws Exception {
        String title = "Relayed twice " + java.util.UUID.randomUUID();
        sendAndAwaitRelayed(title);
        String payload = new String(KafkaRecords.readToEnd(SequencedOutbox.EVENTS_TOPIC,
                r -> new String(r.value()).contains(title)).get(0).value());
        // the relay reads on from the last id it relayed; id 1 is far below it, as an entry whose
        // delete PostgreSQL lost in a crash (the relay commits without waiting for the WAL flush)
        try (Connection c = database.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement("INSERT INTO outbox (id, topic, record_key, payload) "
                        + "OVERRIDING SYSTEM VALUE VALUES (1, ?, ?, ?)")) {
            s.setString(1, SequencedOutbox.EVENTS_TOPIC);
            s.setString(2, t.company);
            s.setString(3, payload);
            s.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxRows(title) == 0);
        assertThat(KafkaRecords.readToEnd(SequencedOutbox.EVENTS_TOPIC, r -> new String(r.value()).contains(title)))
                .as("sent again (at-least-once), not left in the outbox").hasSize(2);
    }

    @Test
    void theWritersAndTheRelaysOwnConnectionsDropped_asInADatabaseRestart_theNextSendIsStoredAndRelayedOnNewOnes()
            throws Exception {
        String before = "Before the drop " + java.util.UUID.randomUUID();
        sendAndAwaitRelayed(before);
        // the send writer and the relay each keep one connection between cycles: every connection but this
        // one ends, as when the database restarts (the pool checks the others as they leave it)
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE pid <> pg_backend_pid() AND datname = current_database()")) {
            rs.next();
            assertThat(rs.getLong(1)).as("connections ended").isPositive();
        }

        String after = "After the drop " + java.util.UUID.randomUUID();
        sendAndAwaitRelayed(after); // answered 201: stored on a new connection, not failed on the dead one
        assertThat(KafkaRecords.readToEnd(SequencedOutbox.EVENTS_TOPIC, r -> new String(r.value()).contains(after)))
                .as("relayed on a new connection").hasSize(1);
    }

    private void sendAndAwaitRelayed(String title) {
        given().auth().oauth2(t.admin).contentType(ContentType.JSON).body(Tenant.body(t.companyAudience(), title))
                .post("/api/notifications").then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxRows(title) == 0);
    }

    private long outboxRows(String containing) throws Exception {
        try (Connection c = database.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement("SELECT count(*) FROM outbox WHERE payload LIKE ?")) {
            s.setString(1, "%" + containing + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void oneIdempotencyKey_sentConcurrently_storesOneNotification() throws Exception {
        String body = Tenant.body(t.companyAudience(), "Once").replace("\"link\"",
                "\"idempotency_key\":\"once-" + t.company + "\",\"link\"");
        List<Response> answers = concurrently(32, i -> given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(body).post("/api/notifications"));

        assertThat(answers.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(31);
        assertThat(answers.stream().map(r -> r.jsonPath().getString("id")).distinct()).hasSize(1);
        assertThat(Tenant.titles(t.member)).containsExactly("Once");
    }

    private static List<Response> concurrently(int n, java.util.function.IntFunction<Response> call) throws Exception {
        return concurrently(n, n, call);
    }

    private static List<Response> concurrently(int n, int threads, java.util.function.IntFunction<Response> call)
            throws Exception {
        return io.notify.notification.Concurrently.run(n, threads, call);
    }
}

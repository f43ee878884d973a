package io.notify.notification.send;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.notify.notification.outbox.EventContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * Scheduled sends ({@code send_at}, issue 25): nothing visible, counted or pushed before due; delivered within about a
 * second after, once, with the scheduled id, however many pollers race and when a row is stored twice; the sender lists
 * and cancels its pending sends; bad times are 400s naming {@code send_at}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ScheduledSendTest {

    final Tenant t = new Tenant();

    @Inject
    AgroalDataSource db;
    @Inject
    ScheduledSends scheduled;

    static String at(OffsetDateTime sendAt, String body) {
        return body.replace("\"link\"", "\"send_at\":\"" + sendAt + "\",\"link\"");
    }

    static String withKey(String key, String body) {
        return body.replace("\"link\"", "\"idempotency_key\":\"" + key + "\",\"link\"");
    }

    static OffsetDateTime inMillis(long millis) {
        return OffsetDateTime.now(ZoneOffset.UTC).plus(Duration.ofMillis(millis));
    }

    static ValidatableResponse post(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/notifications").then();
    }

    static List<String> pending(String token) {
        return given().auth().oauth2(token).get("/api/notifications/scheduled").then().statusCode(200).extract()
                .jsonPath().getList("id");
    }

    long stored(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM notifications WHERE id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void restSend_isInvisibleUntilDue_thenDeliveredOnceWithItsScheduledId() throws SQLException {
        OffsetDateTime sendAt = inMillis(4_000);
        String request = withKey("later-" + UUID.randomUUID(), at(sendAt, body(userAudience(t.memberId), "Later")));
        String id = post(t.admin, request).statusCode(202).body("status", equalTo("scheduled"))
                .body("title", equalTo("Later")).extract().path("id");
        // a retry answers the same scheduled send
        post(t.admin, request).statusCode(202).body("id", equalTo(id));

        assertThat(pending(t.admin)).containsExactly(id);
        assertThat(pending(t.member)).as("only the sender's").isEmpty();
        assertThat(Tenant.titles(t.member)).isEmpty();
        assertThat(Tenant.unread(t.member).getInt("total")).isZero();
        assertThat(stored(id)).as("no notification, so no created event, before due").isZero();

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Tenant.titles(t.member).contains("Later"));
        OffsetDateTime arrived = OffsetDateTime.now(ZoneOffset.UTC);
        assertThat(arrived).isAfterOrEqualTo(sendAt);
        assertThat(Duration.between(sendAt, arrived)).as("within about a second after due").isLessThan(Duration.ofMillis(1_500));
        assertThat(Tenant.inbox(t.member, Map.of()).getString("items[0].id")).isEqualTo(id);
        assertThat(Tenant.unread(t.member).getInt("total")).isEqualTo(1);
        EventContractTest.awaitEvent("created", id);
        assertThat(pending(t.admin)).isEmpty();
        // a retry after it went out answers the stored notification, as an immediate send's retry does, and sends nothing new
        post(t.admin, request).log().ifValidationFails().statusCode(200).body("id", equalTo(id))
                .body("title", equalTo("Later")).body("seq", notNullValue()).body("$", not(hasKey("status")));
        assertThat(Tenant.titles(t.member)).containsExactly("Later");
    }

    @Test
    void racingPollers_andARowStoredTwice_storeEachScheduledSendOnce() throws Exception {
        OffsetDateTime sendAt = inMillis(1_000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(post(t.admin, at(sendAt, body(userAudience(t.memberId), "Race " + i))).statusCode(202)
                    .extract().path("id"));
        }
        String[] copy = row(ids.get(0));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> OffsetDateTime.now().isAfter(sendAt));
        ExecutorService pollers = Executors.newFixedThreadPool(4); // and the instance's own poller
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pollers.submit((Callable<Integer>) scheduled::storeDue));
            }
            for (Future<Integer> run : runs) {
                run.get();
            }
        } finally {
            pollers.shutdown();
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Tenant.titles(t.member).size() == 12);
        for (String id : ids) {
            assertThat(stored(id)).isEqualTo(1);
        }
        // an instance stopped after storing a row and before deleting it: the row is there again, and stores nothing new
        reinsert(copy);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> row(ids.get(0)) == null);
        assertThat(Tenant.inbox(t.member, Map.of("limit", 50)).getList("items.id")).hasSize(12)
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    private static final String COLUMNS = "id, idempotency_scope, idempotency_key, sender, sender_id, sender_company, "
            + "audience_size, request, trace_context, send_at";

    String[] row(String id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS.replace("audience_size", "audience_size::text").replace("send_at", "send_at::text")
                        .replace("id,", "id::text,") + " FROM scheduled_sends WHERE id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String[] row = new String[10];
                for (int i = 0; i < 10; i++) {
                    row[i] = rs.getString(i + 1);
                }
                return row;
            }
        }
    }

    void reinsert(String[] row) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO scheduled_sends ("
                + COLUMNS + ") VALUES (?::uuid, ?, ?, ?, ?, ?, ?::int, ?, ?, ?::timestamptz)")) {
            for (int i = 0; i < 10; i++) {
                s.setString(i + 1, row[i]);
            }
            s.executeUpdate();
        }
    }

    @Test
    void cancel_beforeDue_is204AndNeverSent_afterIs409_anotherSendersIs404() {
        OffsetDateTime sendAt = inMillis(1_000);
        String cancelled = post(t.admin, at(sendAt, body(userAudience(t.memberId), "Cancelled"))).statusCode(202)
                .extract().path("id");
        String sent = post(t.admin, at(sendAt, body(userAudience(t.memberId), "Sent"))).statusCode(202)
                .extract().path("id");

        given().auth().oauth2(t.member).delete("/api/notifications/" + cancelled).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(t.admin).delete("/api/notifications/" + cancelled).then().statusCode(204);
        assertThat(pending(t.admin)).containsExactly(sent);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Tenant.titles(t.member).contains("Sent"));
        Awaitility.await().during(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(3))
                .until(() -> !Tenant.titles(t.member).contains("Cancelled"));
        given().auth().oauth2(t.admin).delete("/api/notifications/" + sent).then().statusCode(409)
                .contentType("application/problem+json").body("title", equalTo("Already sent"));
        given().auth().oauth2(t.admin).delete("/api/notifications/" + cancelled).then().statusCode(404);
        // the recipient's own delete is the inbox delete, as before
        given().auth().oauth2(t.member).delete("/api/notifications/" + sent).then().statusCode(204);
    }

    @Test
    void badSendAt_is400NamingIt() {
        for (String bad : new String[] { inMillis(-60_000).toString(), inMillis(Duration.ofDays(367).toMillis()).toString() }) {
            post(t.admin, at(OffsetDateTime.parse(bad), body(userAudience(t.memberId), "Bad")))
                    .log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", hasItem("send_at"));
        }
        // not a date-time: a binding problem naming the field
        post(t.admin, body(userAudience(t.memberId), "Bad").replace("\"link\"", "\"send_at\":\"tomorrow\",\"link\""))
                .log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("send_at"));
        post(t.admin, at(inMillis(Duration.ofDays(365).toMillis()), body(userAudience(t.memberId), "Next year")))
                .statusCode(202);
        assertThat(pending(t.admin)).hasSize(1);
    }

    @Test
    void kafkaRequest_withSendAt_isKeptUntilDue() {
        String title = "From Kafka " + UUID.randomUUID();
        OffsetDateTime sendAt = inMillis(2_000);
        String request = at(sendAt, body(userAudience(t.memberId), title));
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", t.memberId,
                request.getBytes(StandardCharsets.UTF_8)));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Tenant.titles(t.member).contains(title));
        assertThat(OffsetDateTime.now()).isAfterOrEqualTo(sendAt);
        assertThat(Tenant.titles(t.member)).containsExactly(title);
    }
}

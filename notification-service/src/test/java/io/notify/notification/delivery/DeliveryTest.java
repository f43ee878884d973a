package io.notify.notification.delivery;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.notify.notification.delivery.DeliveryTesting.count;
import static io.notify.notification.delivery.DeliveryTesting.delivery;
import static io.notify.notification.delivery.DeliveryTesting.events;
import static io.notify.notification.delivery.DeliveryTesting.publish;
import static io.notify.notification.delivery.DeliveryTesting.receipt;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.notify.notification.retention.Retention;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The delivery endpoint (who may see it), reads and clicks counted once per user, and the undelivered check, each
 * with its engagement events on the topic exactly once (%test: NOTIFY_DELIVERY_TIMEOUT is 2 s).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class DeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    final Tenant t = new Tenant();

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    static int status(String token, String path) {
        return given().auth().oauth2(token).get(path).then().extract().statusCode();
    }

    static int post(String token, String path) {
        return given().auth().oauth2(token).post(path).then().extract().statusCode();
    }

    String adminOf(String company) {
        return TestTokens.token(UUID.randomUUID().toString(), "admin-" + company, company, Set.of("admin", "user"));
    }

    static String serviceToken(String company) {
        JwtClaims c = TestTokens.claims(UUID.randomUUID().toString(), "billing-service", null, Set.of("service"),
                Instant.now().plusSeconds(600));
        c.setStringListClaim("companies", List.of(company));
        c.unsetClaim("company");
        return TestTokens.sign(c);
    }

    @Test
    void delivery_isForTheSenderAndAdminsOfTheCompany_anyoneElseGets404() {
        // a member sends to a member of their company
        String direct = t.send(t.member, body(userAudience(t.member2Id), "Direct"));
        String path = "/api/notifications/" + direct + "/delivery";
        assertThat(status(t.member, path)).as("the sender").isEqualTo(200);
        assertThat(status(t.admin, path)).as("an admin of the sender's company").isEqualTo(200);
        assertThat(status(t.member2, path)).as("the recipient, not an admin").isEqualTo(404);
        assertThat(status(adminOf(t.otherCompany), path)).as("an admin of another company").isEqualTo(404);
        assertThat(status(t.outsider, path)).as("another company's user").isEqualTo(404);
        assertThat(status(t.member, "/api/notifications/" + UUID.randomUUID() + "/delivery")).isEqualTo(404);
        given().get(path).then().statusCode(401);

        // a service account sends to the company: it and the company's admins see it
        String service = serviceToken(t.company);
        String shared = t.send(service, body(t.companyAudience(), "From billing"));
        String sharedPath = "/api/notifications/" + shared + "/delivery";
        assertThat(status(service, sharedPath)).as("the sending service account").isEqualTo(200);
        assertThat(status(adminOf(t.company), sharedPath)).as("another admin of the addressed company").isEqualTo(200);
        assertThat(status(serviceToken(t.company), sharedPath)).as("another service account").isEqualTo(404);
        assertThat(status(adminOf(t.otherCompany), sharedPath)).as("an admin of another company").isEqualTo(404);
        assertThat(status(t.member, sharedPath)).as("a reader of it").isEqualTo(404);

        JsonPath d = delivery(t.member, direct);
        assertThat(d.getString("audience.type")).isEqualTo("user");
        assertThat(d.getList("audience.user_ids")).containsExactly(t.member2Id);
        assertThat(d.getInt("audience_size")).isEqualTo(1);
        assertThat(d.getInt("delivered_users")).isZero();
        assertThat(d.getString("first_delivered_at")).isNull();
    }

    @Test
    void readsReadAllAndClicks_countOncePerUser_withOneEventEach() {
        String first = t.send(body(t.companyAudience(), "First"));
        String second = t.send(body(t.companyAudience(), "Second"));
        String third = t.send(body(t.companyAudience(), "Third"));

        assertThat(post(t.member, "/api/notifications/" + first + "/read")).isEqualTo(204);
        assertThat(post(t.member, "/api/notifications/" + first + "/read")).isEqualTo(204);
        assertThat(given().auth().oauth2(t.member).queryParam("up_to", Long.MAX_VALUE / 2)
                .post("/api/notifications/read-all").then().statusCode(200).extract().jsonPath().getLong("read_up_to"))
                .isPositive();
        assertThat(post(t.member, "/api/notifications/read-all")).isEqualTo(200); // nothing unread any more
        assertThat(post(t.member2, "/api/notifications/" + third + "/read")).isEqualTo(204);
        assertThat(post(t.member2, "/api/notifications/read-all")).isEqualTo(200);

        assertThat(post(t.member, "/api/notifications/" + first + "/clicked")).isEqualTo(204);
        assertThat(post(t.member, "/api/notifications/" + first + "/clicked")).isEqualTo(204);
        assertThat(post(t.outsider, "/api/notifications/" + first + "/clicked")).as("not in their inbox").isEqualTo(404);
        assertThat(post(t.member, "/api/notifications/" + UUID.randomUUID() + "/clicked")).isEqualTo(404);

        for (String id : List.of(first, second, third)) {
            JsonPath d = delivery(t.admin, id);
            assertThat(d.getInt("read_users")).as("read_users of %s", id).isEqualTo(2);
            assertThat(d.getInt("audience_size")).isEqualTo(3);
        }
        assertThat(delivery(t.admin, first).getInt("clicked_users")).isEqualTo(1);
        assertThat(delivery(t.admin, second).getInt("clicked_users")).isZero();

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            for (String id : List.of(first, second, third)) {
                List<JsonPath> events = events(id);
                assertThat(count(events, "read", t.memberId)).isEqualTo(1);
                assertThat(count(events, "read", t.member2Id)).isEqualTo(1);
            }
            List<JsonPath> events = events(first);
            assertThat(count(events, "clicked", t.memberId)).isEqualTo(1);
            assertThat(events).filteredOn(e -> "read".equals(e.getString("kind")))
                    .allSatisfy(e -> assertThat(e.getString("company")).isEqualTo(t.company));
        });
    }

    @Inject
    AgroalDataSource db;

    @Inject
    Retention retention;

    long rows(String sql, String notificationId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, UUID.fromString(notificationId));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void retention_deletesReceiptsWithTheirNotification_andPrunesOldBatchIdsOnly() throws SQLException {
        String old = t.send(body(t.companyAudience(), "Old"));
        String kept = t.send(body(t.companyAudience(), "Kept"));
        publish(old, receipt(old, t.memberId, 1));
        publish(kept, receipt(kept, t.memberId, 1));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertThat(delivery(t.admin, old).getInt("delivered_users")).isEqualTo(1);
            assertThat(delivery(t.admin, kept).getInt("delivered_users")).isEqualTo(1);
        });
        assertThat(post(t.member, "/api/notifications/" + old + "/clicked")).isEqualTo(204);
        try (Connection c = db.getConnection(); PreparedStatement age = c.prepareStatement(
                "UPDATE notifications SET created_at = now() - interval '400 days' WHERE id = ?");
                PreparedStatement applied = c.prepareStatement(
                        "UPDATE receipt_batches SET applied_at = now() - interval '2 days' WHERE notification_id = ?")) {
            age.setObject(1, UUID.fromString(old));
            age.executeUpdate();
            applied.setObject(1, UUID.fromString(kept));
            applied.executeUpdate();
        }

        retention.cleanUp();

        for (String table : List.of("delivery_receipts", "delivery_counters", "receipt_batches")) {
            assertThat(rows("SELECT count(*) FROM " + table + " WHERE notification_id = ?", old)).as(table).isZero();
        }
        assertThat(rows("SELECT count(*) FROM receipt_batches WHERE notification_id = ?", kept)).isZero();
        assertThat(delivery(t.admin, kept).getInt("delivered_users")).as("counters stay").isEqualTo(1);
    }

    @Test
    void afterTheTimeout_eachRecipientWithoutAReceipt_isUndelivered_once() {
        String id = t.send(body("{\"type\":\"users\",\"user_ids\":[\"" + t.memberId + "\",\"" + t.member2Id + "\"]}",
                "Who got it"));
        publish(id, receipt(id, t.memberId, 2));
        assertThat(delivery(t.admin, id).getList("undelivered_user_ids")).as("before the timeout").isEmpty();

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            JsonPath d = delivery(t.admin, id);
            assertThat(d.getInt("delivered_users")).isEqualTo(1);
            assertThat(d.getList("undelivered_user_ids")).containsExactly(t.member2Id);
            List<JsonPath> events = events(id);
            assertThat(count(events, "undelivered", t.member2Id)).isEqualTo(1);
        });
        JsonPath d = delivery(t.admin, id);
        assertThat(d.getInt("audience_size")).isEqualTo(2);
        assertThat(d.getInt("delivered_sockets")).isEqualTo(2);
        List<JsonPath> events = events(id);
        assertThat(count(events, "undelivered", t.memberId)).as("acknowledged").isZero();
        assertThat(count(events, "delivered", t.memberId)).isEqualTo(1);
        assertThat(events).hasSize(2);
    }
}

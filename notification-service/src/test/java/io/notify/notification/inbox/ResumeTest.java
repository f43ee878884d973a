package io.notify.notification.inbox;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.notify.notification.retention.Retention;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** "Everything addressed to me after seq X", and resync when that cannot be served. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ResumeTest {

    final Tenant t = new Tenant();

    @Inject
    AgroalDataSource db;

    @Inject
    Retention retention;

    static JsonPath resume(String token, long after, Integer limit) {
        var request = given().auth().oauth2(token).queryParam("after", after);
        if (limit != null) {
            request.queryParam("limit", limit);
        }
        return request.get("/api/notifications/resume").then().statusCode(200).extract().jsonPath();
    }

    long lastSeq(String token) {
        return resume(token, 0, 1000).getLong("last_seq");
    }

    @Test
    void resume_returnsWhatWasMissed_inSeqOrder_includingStateChanges_andNothingForOthers() {
        t.send(body(t.companyAudience(), "Seen before"));
        long seen = lastSeq(t.member);

        String company = t.send(body(t.companyAudience(), "Missed 1"));
        t.send(body(userAudience(t.memberId), "Missed 2"));
        t.send(body(userAudience(t.member2Id), "Not for member"));
        t.send(body("{\"type\":\"company\",\"company\":\"" + t.otherCompany + "\"}", "Other tenant"));
        given().auth().oauth2(t.member).post("/api/notifications/" + company + "/read").then().statusCode(204);
        given().auth().oauth2(t.member2).post("/api/notifications/read-all").then().statusCode(200);

        JsonPath missed = resume(t.member, seen, null);
        assertThat(missed.getString("status")).isEqualTo("ok");
        assertThat(missed.getList("events.kind")).containsExactly("created", "created", "read");
        assertThat(missed.getList("events.notification.title")).containsExactly("Missed 1", "Missed 2");
        assertThat(missed.getBoolean("events[0].notification.read")).as("read state as of now").isTrue();
        assertThat(missed.getString("events[2].notification_id")).isEqualTo(company);
        List<Long> seqs = missed.getList("events.seq", Long.class);
        assertThat(seqs).isSorted().allMatch(s -> s > seen);
        assertThat(missed.getLong("last_seq")).isEqualTo(seqs.get(seqs.size() - 1));

        JsonPath nothingNew = resume(t.member, missed.getLong("last_seq"), null);
        assertThat(nothingNew.getString("status")).isEqualTo("ok");
        assertThat(nothingNew.getList("events")).isEmpty();
    }

    @Test
    void resume_withMoreThanTheLimit_answersResync() {
        long seen = lastSeq(t.member);
        for (int i = 0; i < 3; i++) {
            t.send(body(userAudience(t.memberId), "Many " + i));
        }
        JsonPath answer = resume(t.member, seen, 2);
        assertThat(answer.getString("status")).isEqualTo("resync");
        assertThat(answer.getString("reason")).contains("more than 2");
        assertThat(answer.getLong("last_seq")).isGreaterThan(seen);
        assertThat(answer.getList("events")).isEmpty();
    }

    @Test
    void resume_aheadOfTheStore_answersResync() {
        assertThat(resume(t.member, Long.MAX_VALUE / 2, null).getString("status")).isEqualTo("resync");
    }

    @Test
    void resume_withoutAfter_isABadRequest() {
        given().auth().oauth2(t.member).get("/api/notifications/resume").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void retention_deletesOldNotifications_andResumeFromBeforeItAnswersResync() throws SQLException {
        long before = lastSeq(t.member);
        String old = t.send(body(userAudience(t.memberId), "Ancient"));
        t.send(body(userAudience(t.memberId), "Recent"));
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE notifications SET created_at = now() - interval '400 days' WHERE id = ?::uuid")) {
            ps.setString(1, old);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        assertThat(retention.cleanUp()).isGreaterThanOrEqualTo(1);

        assertThat(Tenant.titles(t.member)).containsExactly("Recent");
        JsonPath answer = resume(t.member, before, null);
        assertThat(answer.getString("status")).isEqualTo("resync");
        assertThat(answer.getString("reason")).contains("retention");
    }
}

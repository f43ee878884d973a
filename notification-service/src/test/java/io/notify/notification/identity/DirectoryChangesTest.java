package io.notify.notification.identity;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.titles;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.directory.RecentChanges;
import io.notify.directory.UserChangeRecord;
import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * A change auth-service publishes on {@code user-changes} applies to every request within seconds, whatever the
 * caller's still-valid token says: a disabled account gets 401, a moved user reads the new company's inbox (past
 * broadcasts included) and no longer the old one's, a promoted user sends as an admin.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class DirectoryChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectMapper mapper;

    @Test
    void aDisabledUsersValidToken_is401OnEveryEndpoint_withinTwoSeconds() {
        Tenant t = new Tenant();
        given().auth().oauth2(t.member).get("/api/notifications").then().statusCode(200);
        // a gateway acting for the member with the claims of the member's token, issued before the change
        String actingFor = ActingForTest.claimsOf(t.memberId, "member", t.company, Set.of("user"));
        ActingForTest.gatewayActingFor(actingFor).get("/api/notifications").then().statusCode(200);

        publishUser(t.memberId, t.company, List.of("user"), false, Instant.now());

        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                given().auth().oauth2(t.member).get("/api/notifications").then().statusCode(401));
        given().auth().oauth2(t.member).get("/api/notifications/unread-count").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body(body(Tenant.userAudience(t.member2Id), "Hi"))
                .post("/api/notifications").then().statusCode(401);
        given().auth().oauth2(t.member2).get("/api/notifications").then().statusCode(200); // nobody else
        ActingForTest.gatewayActingFor(actingFor).get("/api/notifications").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aTokenIssuedAfterTheChange_isJudgedByItsOwnClaims() {
        Tenant t = new Tenant();
        publishUser(t.memberId, t.company, List.of("user"), false, Instant.now());
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                given().auth().oauth2(t.member).get("/api/notifications").then().statusCode(401));

        // enabled again, and a token issued after that (auth-service issues none to a disabled user)
        Instant enabledAt = Instant.now();
        publishUser(t.memberId, t.company, List.of("user"), true, enabledAt);
        JwtClaims claims = TestTokens.claims(t.memberId, "member", t.company, Set.of("user"), Instant.now().plusSeconds(600));
        claims.setIssuedAt(NumericDate.fromSeconds(enabledAt.getEpochSecond() + 1));
        String fresh = TestTokens.sign(claims);
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            given().auth().oauth2(fresh).get("/api/notifications").then().statusCode(200);
            given().auth().oauth2(t.member).get("/api/notifications").then().statusCode(200); // enabled: the old one too
        });
    }

    @Test
    void aMovedUser_readsTheNewCompanysInbox_pastBroadcastsIncluded_andNoLongerTheOldOnes() {
        Tenant from = new Tenant();
        Tenant to = new Tenant();
        from.send(body(from.companyAudience(), "Old company news"));
        to.send(body(to.companyAudience(), "New company news"));
        assertThat(titles(from.member)).contains("Old company news").doesNotContain("New company news");

        publishUser(from.memberId, to.company, List.of("user"), true, Instant.now());

        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(titles(from.member)).contains("New company news").doesNotContain("Old company news"));
        assertThat(Tenant.unread(from.member).getInt("total")).isEqualTo(1);
    }

    @Test
    void aPromotedUser_sendsAsAnAdmin_atOnce() {
        Tenant t = new Tenant();
        String companyWide = body(t.companyAudience(), "From a new admin");
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body(companyWide).post("/api/notifications")
                .then().statusCode(403);

        publishUser(t.memberId, t.company, List.of("admin", "user"), true, Instant.now());

        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                given().auth().oauth2(t.member).contentType(ContentType.JSON).body(companyWide).post("/api/notifications")
                        .then().statusCode(201));
    }

    @Test
    void aDisabledServiceAccountsToken_is401() {
        String id = UUID.randomUUID().toString();
        JwtClaims claims = TestTokens.claims(id, "svc", null, Set.of("service"), Instant.now().plusSeconds(600));
        claims.unsetClaim("company");
        claims.setStringListClaim("companies", List.of("company_a"));
        String token = TestTokens.sign(claims);
        given().auth().oauth2(token).get("/api/notifications/" + UUID.randomUUID() + "/delivery").then().statusCode(404);

        publish(id, Map.of("event_id", UUID.randomUUID().toString(), "type", "service_account_disabled",
                "occurred_at", Instant.now().toString(), "service_account",
                Map.of("id", id, "client_id", "svc", "companies", List.of("company_a"), "enabled", false)));

        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/notifications/" + UUID.randomUUID() + "/delivery").then().statusCode(401));
    }

    @Test
    void theContractsSamplesAreRead() {
        RecentChanges changes = new RecentChanges(Duration.ofDays(365 * 100));
        for (String sample : List.of("user-changes-user_disabled.json", "user-changes-user_company_changed.json",
                "user-changes-service_account_disabled.json")) {
            RecentChanges.Account account = changes.apply(Contracts.sample(sample), mapper);
            assertThat(account).as(sample).isNotNull();
        }
        RecentChanges.Account moved = changes.overriding("00000000-0000-4000-8000-00000000b001", 0);
        assertThat(moved.company()).isEqualTo("company_a");
        assertThat(moved.roles()).containsExactly("user");
        assertThat(changes.overriding("00000000-0000-4000-8000-0000000000c1", 0).enabled()).isFalse();
        assertThat(changes.apply("{\"type\": 42", mapper)).as("not JSON: skipped").isNull();
        assertThat(changes.apply("{\"type\":\"user_disabled\"}", mapper)).as("no state: skipped").isNull();
    }

    @Test
    void aChangeOlderThanTheLookBack_changesNothing() throws Exception {
        RecentChanges changes = new RecentChanges(Duration.ofMinutes(20));
        UserChangeRecord old = new UserChangeRecord("user_disabled", Instant.now().minus(Duration.ofMinutes(21)),
                new UserChangeRecord.User("u1", "company_a", List.of("user"), false), null, null);
        assertThat(changes.apply(old)).isNull();
        assertThat(changes.overriding("u1", 0)).isNull();
    }

    private static void publishUser(String id, String company, List<String> roles, boolean enabled, Instant at) {
        publish(id, Map.of("event_id", UUID.randomUUID().toString(), "type", "user_roles_changed",
                "occurred_at", at.toString(), "user",
                Map.of("id", id, "username", "someone", "company", company, "roles", roles, "enabled", enabled)));
    }

    private static void publish(String key, Map<String, Object> change) {
        try {
            String value = JSON.writeValueAsString(change);
            Contracts.assertValid(Contracts.USER_CHANGE, value);
            KafkaRecords.produce(new ProducerRecord<>("user-changes", key, value.getBytes(StandardCharsets.UTF_8)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

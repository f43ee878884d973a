package io.notify.notification.identity;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * A WebSocket gateway acts for the user of one of its sockets with its own token and the user's claims in
 * {@value ActingFor#HEADER}: the store answers and changes exactly that user's inbox, sends as that user, and asks
 * auth-service's directory with the gateway's token and the same header. Any other caller's header names nobody.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class ActingForTest {

    final Tenant t = new Tenant();

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    /** The header a gateway sends for a socket of this user: its token's claims. */
    static String claimsOf(String userId, String username, String company, Set<String> roles) {
        return TestTokens.claims(userId, username, company, roles, Instant.now().plusSeconds(600)).toJson();
    }

    static RequestSpecification gatewayActingFor(String claims) {
        return given().auth().oauth2(TestTokens.gatewayToken()).header(ActingFor.HEADER, claims);
    }

    @Test
    void aGatewayActingForAUser_readsAndChangesThatUsersInbox_asTheUsersOwnTokenWould() {
        String id = t.send(body(userAudience(t.memberId), "For the member"));
        String member = claimsOf(t.memberId, "member", t.company, Set.of("user"));

        gatewayActingFor(member).get("/api/notifications").then().statusCode(200)
                .body("items.id", hasItem(id));
        gatewayActingFor(member).get("/api/notifications/unread-count").then().statusCode(200)
                .body("total", equalTo(1));
        gatewayActingFor(member).post("/api/notifications/" + id + "/read").then().statusCode(204);

        assertThat(Tenant.unread(t.member).getInt("total")).as("read for the user, on the user's own token too").isZero();
        gatewayActingFor(claimsOf(t.member2Id, "member2", t.company, Set.of("user"))).get("/api/notifications")
                .then().statusCode(200).body("items.id", not(hasItem(id)));
        gatewayActingFor(claimsOf(t.member2Id, "member2", t.company, Set.of("user")))
                .post("/api/notifications/" + id + "/read").then().statusCode(404);
    }

    @Test
    void aGatewaySendingForAUser_sendsAsThatUser_andAsksTheDirectoryWithItsTokenAndTheHeader() {
        String member = claimsOf(t.memberId, "member", t.company, Set.of("user"));
        String gatewayToken = TestTokens.gatewayToken();

        given().auth().oauth2(gatewayToken).header(ActingFor.HEADER, member).contentType(ContentType.JSON)
                .body(body(userAudience(t.member2Id), "Sent over a socket")).post("/api/notifications")
                .then().statusCode(201).body("sender", equalTo("member"));

        assertThat(Tenant.titles(t.member2)).contains("Sent over a socket");
        assertThat(FakeDirectory.lastAsked).as("the recipients' companies, asked as the member")
                .isEqualTo(new Caller.Credential(gatewayToken, member));
    }

    @Test
    void aUsersOrAServicesOwnToken_withTheHeader_staysItsHolder() {
        String id = t.send(body(userAudience(t.memberId), "Only the member's"));
        String member = claimsOf(t.memberId, "member", t.company, Set.of("user"));
        String admin = claimsOf(t.adminId, "admin", t.company, Set.of("admin", "user"));

        given().auth().oauth2(t.member2).header(ActingFor.HEADER, member).get("/api/notifications").then()
                .statusCode(200).body("items.id", not(hasItem(id)));
        given().auth().oauth2(t.member2).header(ActingFor.HEADER, admin).contentType(ContentType.JSON)
                .body(body(t.companyAudience(), "Not an admin")).post("/api/notifications").then().statusCode(403);
        given().auth().oauth2(Tenant.serviceToken("svc-" + t.company, Set.of(t.company))).header(ActingFor.HEADER, member)
                .get("/api/notifications").then().statusCode(200).body("items.id", not(hasItem(id)));
        assertThat(Tenant.titles(t.member)).doesNotContain("Not an admin");
    }

    @Test
    void aHeaderNamingNoValidUser_is401() {
        String notJson = "member";
        String noRoles = TestTokens.claims(t.memberId, "member", t.company, Set.of(), Instant.now().plusSeconds(600)).toJson();
        String asAGateway = claimsOf(t.memberId, "member", t.company, Set.of("gateway"));
        String expired = TestTokens.claims(t.memberId, "member", t.company, Set.of("user"), Instant.now().minusSeconds(5)).toJson();
        String notAUserId = claimsOf("notify-gateway", "member", t.company, Set.of("user"));
        for (String header : new String[] { notJson, noRoles, asAGateway, expired, notAUserId }) {
            gatewayActingFor(header).get("/api/notifications").then().statusCode(401)
                    .contentType("application/problem+json");
        }
    }
}

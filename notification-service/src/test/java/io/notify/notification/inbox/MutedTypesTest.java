package io.notify.notification.inbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * {@code POST /api/notifications/preferences/muted}: a WebSocket gateway's load of many users' muted types at once,
 * with the gateways' own token. Each user id answers exactly what that user reads with {@code GET /preferences};
 * nobody else may ask.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class MutedTypesTest {

    static final String PATH = "/api/notifications/preferences/muted";

    final Tenant t = new Tenant();

    static void mute(String token, Map<String, Boolean> types) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("types", types))
                .put("/api/notifications/preferences").then().statusCode(200);
    }

    static ValidatableResponse ask(String bearer, List<String> userIds) {
        return given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("user_ids", userIds))
                .post(PATH).then();
    }

    @Test
    void severalUsers_answerEachUsersMutedTypes_inTheOrderOfTheIds() {
        mute(t.member, Map.of("info", false, "meeting", false, "warning", true));
        mute(t.outsider, Map.of("digest", false));
        mute(t.member2, Map.of("info", true)); // switched on again: nothing muted

        JsonPath answer = ask(TestTokens.gatewayToken(), List.of(t.outsiderId, t.memberId, t.adminId, t.member2Id,
                t.memberId, "nobody-" + t.company)).statusCode(200).contentType(ContentType.JSON).extract().jsonPath();

        assertThat(answer.getList("results.user_id"))
                .containsExactly(t.outsiderId, t.memberId, t.adminId, t.member2Id, t.memberId, "nobody-" + t.company);
        assertThat(answer.getList("results[0].muted", String.class)).containsExactly("digest");
        assertThat(answer.getList("results[1].muted", String.class)).containsExactlyInAnyOrder("info", "meeting");
        assertThat(answer.getList("results[2].muted", String.class)).isEmpty();
        assertThat(answer.getList("results[3].muted", String.class)).isEmpty();
        assertThat(answer.getList("results[4].muted", String.class)).containsExactlyInAnyOrder("info", "meeting");
        assertThat(answer.getList("results[5].muted", String.class)).isEmpty();
    }

    @Test
    void usersAdminsAndServiceAccounts_are403_nothingRevealed() {
        mute(t.member2, Map.of("info", false));
        String service = TestTokens.token("svc-" + t.company, "billing", null, Set.of("service"));
        for (String caller : List.of(t.member, t.admin, service)) {
            String body = ask(caller, List.of(t.member2Id)).statusCode(403).contentType("application/problem+json")
                    .extract().asString();
            assertThat(body).doesNotContain("info");
        }
    }

    @Test
    void noIds_moreThanAHundred_orABlankOne_isAProblem() {
        String gateway = TestTokens.gatewayToken();
        ask(gateway, List.of()).statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("user_ids")));
        ask(gateway, Collections.nCopies(101, t.memberId)).statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("user_ids")));
        ask(gateway, List.of(t.memberId, " ")).statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(gateway).contentType(ContentType.JSON).body("{}").post(PATH)
                .then().statusCode(400).contentType("application/problem+json");
        ask(gateway, Collections.nCopies(100, t.memberId)).statusCode(200).body("results.size()", org.hamcrest.Matchers.is(100));
    }

    @Test
    void withoutABearerToken_is401() {
        given().contentType(ContentType.JSON).body(Map.of("user_ids", List.of(t.memberId))).post(PATH)
                .then().statusCode(401).contentType("application/problem+json");
    }
}

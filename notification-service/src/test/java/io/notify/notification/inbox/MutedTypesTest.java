package io.notify.notification.inbox;

import static io.notify.infra.test.TestTokens.FORGERY;
import static io.notify.infra.test.TestTokens.claims;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.util.ArrayList;
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
 * {@code POST /api/notifications/preferences/muted}: the gateway's load of many users' muted types at once. Each token
 * answers for its own holder, exactly what that holder reads with {@code GET /preferences}; a token that would not be
 * accepted as a bearer token answers {@code invalid_token} in its slot and costs the others nothing.
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

    static ValidatableResponse ask(String bearer, List<String> tokens) {
        return given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("tokens", tokens))
                .post(PATH).then();
    }

    @Test
    void severalUsersTokens_answerEachUsersMutedTypes_inTheOrderOfTheTokens() {
        mute(t.member, Map.of("info", false, "meeting", false, "warning", true));
        mute(t.outsider, Map.of("digest", false));
        mute(t.member2, Map.of("info", true)); // switched on again: nothing muted

        JsonPath answer = ask(t.member, List.of(t.outsider, t.member, t.admin, t.member2, t.member))
                .statusCode(200).contentType(ContentType.JSON).extract().jsonPath();

        assertThat(answer.getList("results.user_id"))
                .containsExactly(t.outsiderId, t.memberId, t.adminId, t.member2Id, t.memberId);
        assertThat(answer.getList("results[0].muted", String.class)).containsExactly("digest");
        assertThat(answer.getList("results[1].muted", String.class)).containsExactlyInAnyOrder("info", "meeting");
        assertThat(answer.getList("results[2].muted", String.class)).isEmpty();
        assertThat(answer.getList("results[3].muted", String.class)).isEmpty();
        assertThat(answer.getList("results[4].muted", String.class)).containsExactlyInAnyOrder("info", "meeting");
        assertThat(answer.getList("results.error")).containsOnlyNulls();
    }

    @Test
    void aTokenThatIsNotValid_answersInvalidTokenInItsSlot_whileTheOthersAnswer() {
        mute(t.member, Map.of("info", false));
        var adminClaims = claims(t.adminId, "admin", t.company, Set.of("admin", "user"), Instant.now().plusSeconds(600));
        List<String> bad = List.of(FORGERY.expired(adminClaims), FORGERY.algNone(adminClaims),
                FORGERY.attackerKeyKnownKid(adminClaims), FORGERY.wrongIssuer(adminClaims),
                FORGERY.wrongAudience(adminClaims), TestTokens.tampered(t.member2, t.company + "x"), "not-a-token", "");
        List<String> tokens = new ArrayList<>(bad);
        tokens.add(2, t.member);

        JsonPath answer = ask(t.admin, tokens).statusCode(200).extract().jsonPath();

        assertThat(answer.getList("results")).hasSize(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            if (i == 2) {
                assertThat(answer.getString("results[2].user_id")).isEqualTo(t.memberId);
                assertThat(answer.getList("results[2].muted", String.class)).containsExactly("info");
            } else {
                assertThat(answer.getMap("results[" + i + "]")).as("slot " + i).isEqualTo(Map.of("error", "invalid_token"));
            }
        }
    }

    @Test
    void aTokenAlreadyAcceptedAsBearer_thenTampered_isStillInvalid() {
        given().auth().oauth2(t.member2).get("/api/notifications/preferences").then().statusCode(200);
        ask(t.member, List.of(TestTokens.tampered(t.member2, t.company + "x"), t.member2)).statusCode(200)
                .body("results[0].error", org.hamcrest.Matchers.equalTo("invalid_token"))
                .body("results[1].user_id", org.hamcrest.Matchers.equalTo(t.member2Id));
    }

    @Test
    void noTokens_orMoreThanAHundred_isAProblem() {
        ask(t.member, List.of()).statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("tokens")));
        ask(t.member, Collections.nCopies(101, t.member)).statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(org.hamcrest.Matchers.containsString("tokens")));
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body("{}").post(PATH)
                .then().statusCode(400).contentType("application/problem+json");
        ask(t.member, Collections.nCopies(100, t.member)).statusCode(200).body("results.size()", org.hamcrest.Matchers.is(100));
    }

    @Test
    void withoutABearerToken_is401_evenWithValidTokensInTheBody() {
        given().contentType(ContentType.JSON).body(Map.of("tokens", List.of(t.member))).post(PATH)
                .then().statusCode(401).contentType("application/problem+json");
        var expired = FORGERY.expired(claims(t.memberId, "member", t.company, Set.of("user"), Instant.now().plusSeconds(600)));
        ask(expired, List.of(t.member)).statusCode(401).contentType("application/problem+json");
    }
}

package io.notify.auth.user;

import static io.notify.auth.TestApi.ADMIN_ID;
import static io.notify.auth.TestApi.USER1_ID;
import static io.notify.auth.TestApi.USER2_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.notify.auth.changes.CurrentAccountCheck;
import io.notify.auth.login.GatewayClientSecret;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class UserDirectoryTest {

    static Response lookup(String token, String... ids) {
        var request = given().auth().oauth2(token);
        for (String id : ids) {
            request = request.queryParam("id", id);
        }
        return request.get("/api/auth/users");
    }

    @Test
    void admin_seesUsersOfEveryCompany_withEmail() {
        lookup(TestApi.admin(), ADMIN_ID, USER1_ID, USER2_ID).then().statusCode(200)
                .body("users.id", equalTo(List.of(ADMIN_ID, USER1_ID, USER2_ID)))
                .body("users.find { it.username == 'user2' }.company", equalTo("company_b"))
                .body("users.find { it.username == 'user2' }.email", notNullValue())
                .body("next_cursor", nullValue());
    }

    @Test
    void user_seesOnlyItsOwnCompany_otherIdsAreSilentlyAbsent() {
        String unknown = UUID.randomUUID().toString();
        lookup(TestApi.user1(), USER1_ID, USER2_ID, unknown, ADMIN_ID).then().statusCode(200)
                .body("users.id", equalTo(List.of(ADMIN_ID, USER1_ID)))
                .body("users[0].roles", equalTo(List.of("admin", "user")))
                .body("users[0].display_name", equalTo("Administrator"))
                .body("users[0].enabled", equalTo(true))
                .body("users[0].email", nullValue());
        lookup(TestApi.user2(), USER1_ID).then().statusCode(200).body("users", equalTo(List.of()));
    }

    @Test
    void serviceToken_seesTheCompaniesOfItsScope() {
        lookup(TestApi.billing(), USER1_ID, USER2_ID).then().statusCode(200)
                .body("users.id", equalTo(List.of(USER1_ID)));
        given().auth().oauth2(TestApi.billing()).queryParam("company", "company_b").get("/api/auth/users")
                .then().statusCode(200).body("users", equalTo(List.of()));
    }

    @Test
    void oneUser_anotherTenantsUserIs404() {
        given().auth().oauth2(TestApi.user1()).get("/api/auth/users/" + ADMIN_ID).then().statusCode(200)
                .body("username", equalTo("admin"));
        given().auth().oauth2(TestApi.user1()).get("/api/auth/users/" + USER2_ID).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestApi.user1()).get("/api/auth/users/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void malformedIdOrLimit_is400NamingTheParameter() {
        lookup(TestApi.user1(), "not-a-uuid").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("id"));
        given().auth().oauth2(TestApi.user1()).queryParam("limit", 0).get("/api/auth/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("limit")).body("violations[0].in", equalTo("query"));
        given().auth().oauth2(TestApi.user1()).queryParam("cursor", "%%%").get("/api/auth/users")
                .then().statusCode(400).body("violations[0].field", equalTo("cursor"));
    }

    @Test
    void adminList_pagesWithACursorThroughEveryUserExactlyOnce() {
        String admin = TestApi.admin();
        String company = "paging_" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("slug", company, "name", "Paging"))
                .post("/api/auth/companies").then().statusCode(201);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(TestApi.createUser(admin, "pager" + i + "-" + company.substring(7), "long enough password", company));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(admin).queryParam("company", company).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/auth/users").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("users.id"));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(created);
    }

    @Test
    void admin_createsUser_whoCanLogIn_andChangesRolesAndCompany() {
        String admin = TestApi.admin();
        String username = TestApi.unique("newbie");
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "long enough password", "display_name", "New Bie",
                        "email", "newbie@company-a.example", "company", "company_a", "roles", List.of("user")))
                .post("/api/auth/users")
                .then().statusCode(201)
                .header("Location", containsString("/api/auth/users/"))
                .body("company", equalTo("company_a"))
                .body("created_at", notNullValue())
                .extract().path("id");
        TestApi.login(username, "long enough password");

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("admin", "user"), "company", "company_b"))
                .patch("/api/auth/users/" + id).then().statusCode(200)
                .body("roles", equalTo(List.of("admin", "user"))).body("company", equalTo("company_b"));
        given().auth().oauth2(TestApi.accessToken(username, "long enough password")).get("/api/auth/me")
                .then().statusCode(200).body("company", equalTo("company_b")).body("roles", hasItem("admin"));
    }

    @Test
    void createUser_enforcesThePasswordPolicyAndUniqueUsernames() {
        String admin = TestApi.admin();
        String username = TestApi.unique("weak");
        for (String weak : new String[] { "short", "x".repeat(73), "my " + username + " pw" }) {
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("username", username, "password", weak, "display_name", "W", "company", "company_a",
                            "roles", List.of("user")))
                    .post("/api/auth/users")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo("password"));
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", "USER1", "password", "long enough password", "display_name", "Dup",
                        "company", "company_a", "roles", List.of("user")))
                .post("/api/auth/users").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void createUser_validationNamesEachField() {
        given().auth().oauth2(TestApi.admin()).contentType(ContentType.JSON)
                .body(Map.of("username", "a b", "password", "long enough password", "email", "not-an-email",
                        "company", "company_a", "roles", List.of("service")))
                .post("/api/auth/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("username"))
                .body("violations.field", hasItem("email"))
                .body("violations.field", hasItem("display_name"))
                .body("violations.field", hasItem("roles[]"));
        given().auth().oauth2(TestApi.admin()).contentType(ContentType.JSON)
                .body(Map.of("username", TestApi.unique("nocompany"), "password", "long enough password",
                        "display_name", "N", "company", "no_such_company", "roles", List.of("user")))
                .post("/api/auth/users")
                .then().statusCode(400).body("violations[0].field", equalTo("company"));
    }

    @Test
    void adminCannotLockThemselvesOut() {
        given().auth().oauth2(TestApi.admin()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .patch("/api/auth/users/" + ADMIN_ID).then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(TestApi.admin()).contentType(ContentType.JSON).body(Map.of("roles", List.of("user")))
                .patch("/api/auth/users/" + ADMIN_ID).then().statusCode(409);
    }

    /** The WebSocket gateways' own token (its client's secret is set for every test: {@code GatewayClientSecret}). */
    static String gateway() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", "notify-gateway").formParam("client_secret", GatewayClientSecret.SECRET)
                .post("/api/auth/token").then().statusCode(200).extract().path("access_token");
    }

    /** What a gateway names the user it acts for with: the claims of that user's token (notification-service passes it on). */
    static String actingFor(String userId) {
        JwtClaims claims = TestApi.claims(userId, "ignored", "user");
        return claims.toJson();
    }

    /**
     * notification-service asks the directory for a user a WebSocket gateway acts for with the gateway's token and
     * the user's claims in {@code Notify-Acting-For}: the answer is what that user may see, as the directory has the
     * user now; the gateway's token alone sees nobody.
     */
    @Test
    void aGatewayActingForAUser_seesWhatThatUserSees() {
        String gateway = gateway();
        given().auth().oauth2(gateway).header(CurrentAccountCheck.ACTING_FOR, actingFor(USER1_ID))
                .queryParam("id", USER1_ID).queryParam("id", USER2_ID).queryParam("id", ADMIN_ID)
                .get("/api/auth/users").then().statusCode(200)
                .body("users.id", equalTo(List.of(ADMIN_ID, USER1_ID)));
        given().auth().oauth2(gateway).header(CurrentAccountCheck.ACTING_FOR, actingFor(USER2_ID))
                .get("/api/auth/users/" + USER1_ID).then().statusCode(404);
        given().auth().oauth2(gateway).header(CurrentAccountCheck.ACTING_FOR, actingFor(ADMIN_ID))
                .queryParam("company", "company_b").get("/api/auth/users/count").then().statusCode(200)
                .body("count", org.hamcrest.Matchers.greaterThan(0));

        lookup(gateway, USER1_ID).then().statusCode(403);
    }

    @Test
    void theHeader_ofAnyoneButAGateway_orOnAnythingButADirectoryRead_orNamingNoValidUser_actsForNobody() {
        // a user's own token naming the admin stays that user
        given().auth().oauth2(TestApi.user2()).header(CurrentAccountCheck.ACTING_FOR, actingFor(ADMIN_ID))
                .queryParam("id", USER1_ID).get("/api/auth/users").then().statusCode(200).body("users", equalTo(List.of()));
        // a gateway naming the admin cannot administer
        given().auth().oauth2(gateway()).header(CurrentAccountCheck.ACTING_FOR, actingFor(ADMIN_ID))
                .contentType(ContentType.JSON).body(Map.of("enabled", false)).patch("/api/auth/users/" + USER2_ID)
                .then().statusCode(403);
        // nobody, an unknown user, expired claims
        JwtClaims expired = TestApi.claims(USER1_ID, "company_a", "user");
        expired.setExpirationTimeMinutesInTheFuture(-1);
        for (String header : List.of("user1", actingFor(UUID.randomUUID().toString()), expired.toJson())) {
            given().auth().oauth2(gateway()).header(CurrentAccountCheck.ACTING_FOR, header).queryParam("id", USER1_ID)
                    .get("/api/auth/users").then().statusCode(401);
        }
        given().auth().oauth2(TestApi.admin()).get("/api/auth/users/" + USER2_ID).then().statusCode(200)
                .body("enabled", equalTo(true));
    }

    @Test
    void userList_withoutIds_isTheOwnCompanyOnly() {
        given().auth().oauth2(TestApi.user2()).queryParam("limit", 200).get("/api/auth/users").then().statusCode(200)
                .body("users.company", everyItem(equalTo("company_b")))
                .body("users.id", hasItem(USER2_ID))
                .body("users.id", not(hasItem(USER1_ID)));
    }
}

package io.notify.auth.login;

import static io.notify.auth.TestApi.login;
import static io.notify.auth.TestApi.refresh;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.restassured.http.ContentType;

@io.quarkus.test.junit.QuarkusTest
class SessionTest {

    @Test
    void refresh_rotatesTheRefreshTokenAndIssuesAWorkingAccessToken() {
        Map<String, Object> first = login("user1", "wkwkwk");
        String rotated = refresh((String) first.get("refresh_token")).then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(900))
                .body("refresh_expires_in", notNullValue())
                .extract().path("refresh_token");
        assertThat(rotated).isNotEqualTo(first.get("refresh_token"));

        String access = refresh(rotated).then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(access).get("/api/auth/me").then().statusCode(200).body("username", equalTo("user1"));
    }

    @Test
    void logoutWithRefreshToken_endsTheSessionButNotOtherSessions() {
        String mine = (String) login("user1", "wkwkwk").get("refresh_token");
        String otherDevice = (String) login("user1", "wkwkwk").get("refresh_token");

        given().contentType(ContentType.JSON).body(Map.of("refresh_token", mine))
                .post("/api/auth/logout").then().statusCode(204);

        refresh(mine).then().statusCode(401);
        refresh(otherDevice).then().statusCode(200);
    }

    @Test
    void logoutWithOnlyTheBearerToken_endsItsSession() {
        Map<String, Object> session = login("user2", "password2");
        given().auth().oauth2((String) session.get("access_token")).contentType(ContentType.JSON).body("{}")
                .post("/api/auth/logout").then().statusCode(204);
        refresh((String) session.get("refresh_token")).then().statusCode(401);
    }

    @Test
    void logoutWithNothing_is401Problem_andUnknownRefreshToken_is204() {
        given().contentType(ContentType.JSON).body("{}").post("/api/auth/logout")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", "not-a-token"))
                .post("/api/auth/logout").then().statusCode(204);
    }

    @Test
    void unknownOrMissingRefreshToken_isRejectedWithProblem() {
        refresh("definitely-not-issued").then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/api/auth/refresh")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("refresh_token"));
    }

    @Test
    void refreshTokenGrantOnTheTokenEndpoint_rotatesToo() {
        String original = (String) login("user2", "password2").get("refresh_token");
        String next = given().contentType(ContentType.URLENC)
                .formParam("grant_type", "refresh_token").formParam("refresh_token", original)
                .post("/api/auth/token").then().statusCode(200).extract().path("refresh_token");
        assertThat(next).isNotEqualTo(original);
        refresh(next).then().statusCode(200);
    }

    @Test
    void disabledUser_canNeitherLogInNorRefresh_andEnabledAgainCanLogIn() {
        String admin = TestApi.admin();
        String username = TestApi.unique("leaver");
        String password = "long enough password";
        String id = TestApi.createUser(admin, username, password, "company_b");
        String refreshToken = (String) login(username, password).get("refresh_token");

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .patch("/api/auth/users/" + id).then().statusCode(200).body("enabled", equalTo(false));

        refresh(refreshToken).then().statusCode(401);
        TestApi.loginAttempt(username, password, TestApi.freshAddress()).then().statusCode(401);

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .patch("/api/auth/users/" + id).then().statusCode(200);
        login(username, password);
    }
}

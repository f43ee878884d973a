package io.notify.auth.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.auth.TestApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/** {@code GET /api/auth/users/count}: the audience size notification-service stores with a broadcast. */
@QuarkusTest
class UserCountTest {

    @Inject
    AgroalDataSource db;

    static Response count(String token, String company, String role) {
        var request = given().auth().oauth2(token);
        if (company != null) {
            request = request.queryParam("company", company);
        }
        if (role != null) {
            request = request.queryParam("role", role);
        }
        return request.get("/api/auth/users/count");
    }

    /** A company of its own with two users and one admin, one of them disabled. */
    static String freshCompany() {
        String admin = TestApi.admin();
        String company = "count_" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("slug", company, "name", "Count"))
                .post("/api/auth/companies").then().statusCode(201);
        TestApi.createUser(admin, TestApi.unique("counted"), "long enough password", company);
        TestApi.createUser(admin, TestApi.unique("boss"), "long enough password", company, "user", "admin");
        String disabled = TestApi.createUser(admin, TestApi.unique("gone"), "long enough password", company);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .patch("/api/auth/users/" + disabled).then().statusCode(200);
        return company;
    }

    @Test
    void admin_countsTheEnabledUsersOfACompany_andOfARoleInIt() {
        String company = freshCompany();
        count(TestApi.admin(), company, null).then().statusCode(200).body("count", equalTo(2));
        count(TestApi.admin(), company, "admin").then().statusCode(200).body("count", equalTo(1));
        count(TestApi.admin(), company, "service").then().statusCode(200).body("count", equalTo(0));
        count(TestApi.admin(), "no_such_company", "admin").then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void aRoleCount_followsItsHolders_asTheyGainAndLoseTheRole_changeCompany_andAreDisabledOrEnabled() {
        String admin = TestApi.admin();
        String from = freshCompany();
        String to = freshCompany();
        String boss = TestApi.createUser(admin, TestApi.unique("mover"), "long enough password", from, "user", "admin");
        count(admin, from, "admin").then().statusCode(200).body("count", equalTo(2));

        patch(admin, boss, Map.of("company", to));
        count(admin, from, "admin").then().statusCode(200).body("count", equalTo(1));
        count(admin, to, "admin").then().statusCode(200).body("count", equalTo(2));
        count(admin, to, "user").then().statusCode(200).body("count", equalTo(3));

        patch(admin, boss, Map.of("enabled", false));
        count(admin, to, "admin").then().statusCode(200).body("count", equalTo(1));
        count(admin, to, "user").then().statusCode(200).body("count", equalTo(2));
        patch(admin, boss, Map.of("enabled", true, "roles", List.of("user")));
        count(admin, to, "admin").then().statusCode(200).body("count", equalTo(1));
        count(admin, to, "user").then().statusCode(200).body("count", equalTo(3));
        patch(admin, boss, Map.of("company", from, "roles", List.of("user", "admin")));
        count(admin, from, "admin").then().statusCode(200).body("count", equalTo(2));
        count(admin, to, "admin").then().statusCode(200).body("count", equalTo(1));
    }

    @Test
    void roleRowsWrittenWithoutTheirUsersCompany_asAPodOfThePreviousVersionWritesThem_areCounted() throws SQLException {
        String company = freshCompany();
        String user = TestApi.createUser(TestApi.admin(), TestApi.unique("plain"), "long enough password", company);
        try (Connection c = db.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO user_roles (user_id, role) VALUES (?, 'admin')")) {
            insert.setObject(1, UUID.fromString(user));
            insert.executeUpdate();
        }
        count(TestApi.admin(), company, "admin").then().statusCode(200).body("count", equalTo(2));
    }

    private static void patch(String admin, String userId, Map<String, Object> changes) {
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(changes).patch("/api/auth/users/" + userId).then()
                .statusCode(200);
    }

    @Test
    void serviceAccount_countsOnlyTheCompaniesOfItsScope() {
        int inScope = count(TestApi.admin(), "company_a", null).then().statusCode(200).extract().path("count");
        count(TestApi.billing(), "company_a", null).then().statusCode(200).body("count", equalTo(inScope));
        count(TestApi.billing(), "company_b", null).then().statusCode(200).body("count", equalTo(0));
        count(TestApi.billing(), null, null).then().statusCode(200).body("count", equalTo(inScope));
    }

    @Test
    void users_mayNotCount_andNoTokenIs401() {
        count(TestApi.user1(), "company_a", null).then().statusCode(403).contentType("application/problem+json");
        given().get("/api/auth/users/count").then().statusCode(401);
    }

    @Test
    void unknownRole_is400NamingTheParameter() {
        count(TestApi.admin(), null, "superuser").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("role"));
    }
}

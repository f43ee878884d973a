package io.notify.auth.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code GET /api/auth/users/count}: the audience size notification-service stores with a broadcast. */
@QuarkusTest
class UserCountTest {

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

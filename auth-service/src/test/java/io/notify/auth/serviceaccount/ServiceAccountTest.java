package io.notify.auth.serviceaccount;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class ServiceAccountTest {

    static Response clientCredentials(String clientId, String secret) {
        return TestApi.from(TestApi.freshAddress()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret)
                .post("/api/auth/token");
    }

    static Response basic(String clientId, String secret) {
        String credentials = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return TestApi.from(TestApi.freshAddress()).contentType(ContentType.URLENC)
                .header("Authorization", "Basic " + credentials)
                .formParam("grant_type", "client_credentials")
                .post("/api/auth/token");
    }

    @Test
    void clientCredentials_giveAServiceTokenScopedToTheAccountsCompanies() throws Exception {
        String token = clientCredentials("billing-service", "billing-secret-change-me").then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(900))
                .body("refresh_token", nullValue())
                .extract().path("access_token");
        JwtClaims claims = new JwtConsumerBuilder().setSkipSignatureVerification().setExpectedAudience("notify")
                .build().processToClaims(token);
        assertThat(claims.getIssuer()).isEqualTo("notify-auth");
        assertThat(claims.getSubject()).isEqualTo(TestApi.BILLING_ID);
        assertThat(claims.getStringClaimValue("upn")).isEqualTo("billing-service");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("service");
        assertThat(claims.getStringListClaimValue("companies")).containsExactly("company_a");
        assertThat(claims.hasClaim("company")).isFalse();

        given().auth().oauth2(token).get("/api/auth/me").then().statusCode(200)
                .body("username", equalTo("billing-service"))
                .body("roles", hasItem("service"))
                .body("companies", equalTo(List.of("company_a")));
    }

    @Test
    void clientCredentialsOverHttpBasic_work() {
        basic("billing-service", "billing-secret-change-me").then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void wrongSecretOrUnknownClient_areTheSame401InvalidClient() {
        String wrong = clientCredentials("billing-service", "nope").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", notNullValue())
                .body("error", equalTo("invalid_client")).extract().asString();
        String unknown = basic("no-such-client", "nope").then().statusCode(401).extract().asString();
        assertThat(unknown).isEqualTo(wrong);
    }

    @Test
    void basicAndFormCredentialsTogether_isInvalidRequest_andUnknownGrantIsUnsupported() {
        String credentials = Base64.getEncoder().encodeToString("billing-service:billing-secret-change-me".getBytes());
        given().contentType(ContentType.URLENC).header("Authorization", "Basic " + credentials)
                .formParam("grant_type", "client_credentials").formParam("client_id", "billing-service")
                .post("/api/auth/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .post("/api/auth/token").then().statusCode(400).contentType("application/problem+json")
                .body("error", equalTo("unsupported_grant_type"));
        given().contentType(ContentType.URLENC).formParam("client_id", "x")
                .post("/api/auth/token").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("grant_type"));
    }

    @Test
    void admin_createsAccount_secretShownOnce_rotatesAndDisablesIt() {
        String admin = TestApi.admin();
        String clientId = TestApi.unique("crm");
        Map<String, Object> created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("client_id", clientId, "name", "CRM", "companies", List.of("company_a", "company_b")))
                .post("/api/auth/service-accounts")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/auth/service-accounts/"))
                .body("companies", equalTo(List.of("company_a", "company_b")))
                .extract().jsonPath().getMap("");
        String id = (String) created.get("id");
        String secret = (String) created.get("client_secret");
        clientCredentials(clientId, secret).then().statusCode(200);

        given().auth().oauth2(admin).get("/api/auth/service-accounts").then().statusCode(200)
                .body("find { it.client_id == '" + clientId + "' }.client_secret", nullValue());

        String rotated = given().auth().oauth2(admin).post("/api/auth/service-accounts/" + id + "/secret")
                .then().statusCode(200).extract().path("client_secret");
        clientCredentials(clientId, secret).then().statusCode(401);
        clientCredentials(clientId, rotated).then().statusCode(200);

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("enabled", false, "companies", List.of("company_b")))
                .patch("/api/auth/service-accounts/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("companies", equalTo(List.of("company_b")));
        clientCredentials(clientId, rotated).then().statusCode(401);
    }

    @Test
    void creatingAnAccountForAnUnknownCompany_namesTheField() {
        given().auth().oauth2(TestApi.admin()).contentType(ContentType.JSON)
                .body(Map.of("client_id", TestApi.unique("x"), "name", "X", "companies", List.of("no_such_company")))
                .post("/api/auth/service-accounts")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("companies"));
    }
}

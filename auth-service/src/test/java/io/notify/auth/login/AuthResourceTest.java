package io.notify.auth.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.notify.infra.test.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AuthResourceTest {

    static String login(String username, String password) {
        return TestApi.accessToken(username, password);
    }

    @Test
    void shouldIssueRs256TokenWithIdentityClaimsVerifiableByJwks() throws Exception {
        String token = given().contentType(ContentType.JSON)
                .body("{\"username\":\"user1\",\"password\":\"wkwkwk\"}")
                .post("/api/auth/login")
                .then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(900))
                .body("refresh_token", notNullValue())
                .extract().path("access_token");

        String jwks = given().get("/api/auth/jwks").then().statusCode(200).extract().asString();
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("notify-auth")
                .setExpectedAudience("notify")
                .setRequireExpirationTime()
                .setRequireJwtId()
                .build()
                .processToClaims(token);

        assertThat(claims.getSubject()).isEqualTo("00000000-0000-4000-8000-00000000a002");
        assertThat(claims.getStringClaimValue("upn")).isEqualTo("user1");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("user");
        assertThat(claims.getStringClaimValue("company")).isEqualTo("company_a");
        assertThat(claims.getStringClaimValue("sid")).isNotBlank();
        assertThat(claims.getExpirationTime().getValueInMillis() - claims.getIssuedAt().getValueInMillis())
                .isEqualTo(15 * 60 * 1000L);
    }

    @Test
    void shouldServeSameJwksAtWellKnownPath() {
        String kid = given().get("/api/auth/jwks").then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].d", org.hamcrest.Matchers.nullValue())
                .extract().path("keys[0].kid");
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", hasItem(kid));
    }

    @Test
    void shouldAcceptFormStyleLogin() {
        TestApi.from(TestApi.freshAddress()).contentType(ContentType.URLENC)
                .formParam("username", "admin").formParam("password", "wkwkwk")
                .post("/api/auth/login")
                .then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void shouldAnswerWrongPasswordAndUnknownUserIdentically() {
        List<String> bodies = List.of("{\"username\":\"user1\",\"password\":\"nope-nope\"}",
                "{\"username\":\"ghost\",\"password\":\"nope-nope\"}").stream()
                .map(body -> TestApi.from(TestApi.freshAddress()).contentType(ContentType.JSON).body(body)
                        .post("/api/auth/login")
                        .then().statusCode(401)
                        .contentType("application/problem+json")
                        .extract().asString())
                .toList();
        assertThat(bodies.get(0)).isEqualTo(bodies.get(1));
    }

    @Test
    void shouldRejectMissingFieldWithProblemNamingTheField() {
        TestApi.from(TestApi.freshAddress()).contentType(ContentType.JSON).body("{\"username\":\"user1\"}")
                .post("/api/auth/login")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body(containsString("password"));
    }

    @Test
    void shouldReturnCurrentUserForValidToken() {
        given().auth().oauth2(login("user2", "password2"))
                .get("/api/auth/me")
                .then().statusCode(200)
                .body("username", equalTo("user2"))
                .body("company", equalTo("company_b"))
                .body("roles", hasItem("user"));
    }

    @Test
    void shouldRejectMeWithoutToken() {
        given().get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void shouldRejectMeWithTamperedToken() {
        String token = login("user1", "wkwkwk");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        given().auth().oauth2(forged).get("/api/auth/me").then().statusCode(401);
    }
}

package io.notify.auth.signing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TokenForgery;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RotationKeyResource.class, restrictToAnnotatedClass = false)
class KeyRotationTest {

    @Test
    void jwksPublishesTheSigningKeyFirstAndTheRotationKey() {
        String nextKid = TokenForgery.fromPem(RotationKeyResource.NEXT_KEY).key().getKeyId();
        String signingKid = TestApi.serviceKey().key().getKeyId();

        List<String> kids = given().get("/api/auth/jwks").then().statusCode(200).extract().path("keys.kid");
        assertThat(kids).containsExactly(signingKid, nextKid);
        assertThat(given().get("/.well-known/jwks.json").then().extract().<List<String>>path("keys.kid")).isEqualTo(kids);

        String token = TestApi.user1();
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]))).contains(signingKid);
    }

    @Test
    void tokensSignedWithEitherPublishedKey_areAccepted() {
        String token = TokenForgery.fromPem(RotationKeyResource.NEXT_KEY)
                .sign(TestApi.claims(TestApi.USER2_ID, "company_b", "user"));
        given().auth().oauth2(token).get("/api/auth/me").then().statusCode(200).body("username", equalTo("user2"));
    }

    @Test
    void privatePartsAreNeverPublished() {
        given().get("/api/auth/jwks").then().statusCode(200)
                .body("keys.d", equalTo(java.util.Arrays.asList(null, null)))
                .body("keys.alg", equalTo(List.of("RS256", "RS256")));
    }
}

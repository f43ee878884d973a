package io.notify.auth.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import io.notify.auth.TestApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The WebSocket gateways' own client: client id {@code notify-gateway} with the configured secret gets a token with
 * role {@code gateway} and no company; any other secret is the same 401 as a wrong service-account secret, and no
 * service account can take the id.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayClientSecret.class, restrictToAnnotatedClass = false)
class GatewayClientTest {

    private static Response clientCredentials(String clientId, String secret) {
        return TestApi.from(TestApi.freshAddress()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret)
                .post("/api/auth/token");
    }

    @Test
    void theGatewaysClient_getsATokenWithRoleGatewayAndNoCompany() throws Exception {
        String token = clientCredentials("notify-gateway", GatewayClientSecret.SECRET).then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("refresh_token", nullValue())
                .extract().path("access_token");
        JwtClaims claims = new JwtConsumerBuilder().setSkipSignatureVerification().setSkipDefaultAudienceValidation()
                .build().processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo("notify-gateway");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("gateway");
        assertThat(claims.hasClaim("company")).isFalse();
        assertThat(claims.hasClaim("companies")).isFalse();
    }

    @Test
    void aWrongSecret_isThe401OfAnyWrongClientSecret() {
        clientCredentials("notify-gateway", GatewayClientSecret.SECRET + "x").then().statusCode(401)
                .contentType("application/problem+json")
                .body("error", equalTo("invalid_client"));
        clientCredentials("Notify-Gateway", "").then().statusCode(401);
    }

    @Test
    void noServiceAccountCanTakeTheGatewaysClientId() {
        given().auth().oauth2(TestApi.admin()).contentType(ContentType.JSON)
                .body(Map.of("client_id", "notify-gateway", "name", "Impostor", "companies", List.of("company_a")))
                .post("/api/auth/service-accounts")
                .then().statusCode(409).contentType("application/problem+json");
    }
}

package io.notify.auth.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class OpenApiTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationIsDescribed_and4xxAreProblemJson() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        assertThat(paths).containsKeys("/api/auth/login", "/api/auth/refresh", "/api/auth/logout", "/api/auth/me",
                "/api/auth/token", "/api/auth/users", "/api/auth/users/{id}", "/api/auth/companies",
                "/api/auth/service-accounts", "/api/auth/service-accounts/{id}/secret", "/api/auth/jwks",
                "/.well-known/jwks.json");
        int operations = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                Map<String, Object> operation = (Map<String, Object>) op.getValue();
                String where = op.getKey() + " " + path.getKey();
                assertThat(operation).as(where).containsKeys("summary", "description");
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
                responses.forEach((code, response) -> {
                    if (code.startsWith("4")) {
                        assertThat((Map<String, Object>) response.get("content")).as(where + " " + code)
                                .containsKey("application/problem+json");
                    }
                });
                operations++;
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(15);
        assertThat(doc.getMap("paths.'/api/auth/login'.post.requestBody.content.'application/json'.examples")).isNotEmpty();
        assertThat(doc.getMap("components.securitySchemes")).containsKeys("bearer", "client");
    }

    @Test
    @SuppressWarnings("unchecked")
    void document_isWhatClientGeneratorsNeed() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        List<String> operationIds = new ArrayList<>();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        paths.values().forEach(methods -> methods.values().forEach(op -> operationIds.add((String) op.get("operationId"))));
        assertThat(operationIds).doesNotContainNull().doesNotHaveDuplicates()
                .contains("login", "refreshToken", "logout", "getCurrentUser", "issueToken", "getJwks");
        // public operations say so; JSON login first (generators take the first body type)
        assertThat(doc.getList("paths.'/api/auth/login'.post.security")).isEmpty();
        assertThat(doc.getList("paths.'/.well-known/jwks.json'.get.security")).isEmpty();
        assertThat(doc.getMap("paths.'/api/auth/login'.post.requestBody.content").keySet().iterator().next())
                .isEqualTo("application/json");
        assertThat(doc.getBoolean("paths.'/api/auth/logout'.post.requestBody.required")).isNotEqualTo(Boolean.TRUE);
        assertThat(doc.getString("paths.'/api/auth/refresh'.post.responses.'401'.content.'application/problem+json'.schema.$ref"))
                .isEqualTo("#/components/schemas/Problem");
        assertThat(doc.getString("paths.'/api/auth/users'.post.responses.'400'.content.'application/problem+json'.schema.$ref"))
                .isEqualTo("#/components/schemas/ValidationProblem");
        assertThat(doc.getList("components.schemas.TokenResponse.required")).contains("access_token", "expires_in");
        assertThat(doc.getList("servers.url")).containsExactly("/");
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}

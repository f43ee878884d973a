package io.notify.auth.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}

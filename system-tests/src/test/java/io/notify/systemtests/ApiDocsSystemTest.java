package io.notify.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.infra.launch.Suite;

/**
 * The API docs' two documents through the one origin the browser uses (the pages /docs and /redoc that show them are
 * the built frontend's: OneOriginProxyTest and frontend/e2e/docs.mjs): each service's own OpenAPI document as JSON,
 * while the rest of the services' /q stays closed.
 */
@ExtendWith(SuiteExtension.class)
class ApiDocsSystemTest {

    static URI origin;

    @BeforeAll
    static void suite(Suite running) {
        origin = running.origin();
    }

    @Test
    void bothServicesDocumentsAreJsonOnTheOneOrigin() {
        Map<String, String> titles = Map.of("/docs/openapi/auth.json", "Notify auth-service",
                "/docs/openapi/notification.json", "Notify notification-service");
        titles.forEach((path, title) -> given().baseUri(origin.toString()).get(path).then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("openapi", startsWith("3."))
                .body("info.title", equalTo(title))
                .body("paths", hasKey(path.contains("auth") ? "/api/auth/login" : "/api/notifications")));
    }

    @Test
    void theServicesQPathsStayClosed_theDocumentIncluded() {
        for (String path : List.of("/q/openapi", "/q/openapi?format=json", "/q/swagger-ui", "/q/health", "/q/metrics",
                "/docs/openapi/gateway.json")) {
            given().baseUri(origin.toString()).urlEncodingEnabled(false).get(path).then().statusCode(404)
                    .contentType("application/problem+json").body("status", equalTo(404));
        }
    }
}

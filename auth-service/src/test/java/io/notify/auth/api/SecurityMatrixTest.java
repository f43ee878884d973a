package io.notify.auth.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.notify.auth.TestApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * CONVENTIONS.md's matrix for every protected surface of auth-service: no token, wrong role,
 * another tenant. Forged and broken tokens are {@link TokenAttacksTest}, one test per attack.
 */
@QuarkusTest
class SecurityMatrixTest {

    record Endpoint(String method, String path, String body) {
        io.restassured.response.Response call(RequestSpecification request) {
            if (body != null) {
                request = request.contentType(ContentType.JSON).body(body);
            }
            return request.request(method, path);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> PROTECTED = List.of(
            new Endpoint("GET", "/api/auth/me", null),
            new Endpoint("GET", "/api/auth/users?id=" + TestApi.USER1_ID, null),
            new Endpoint("GET", "/api/auth/users/" + TestApi.USER1_ID, null),
            new Endpoint("POST", "/api/auth/users", "{}"),
            new Endpoint("PATCH", "/api/auth/users/" + TestApi.USER1_ID, "{}"),
            new Endpoint("GET", "/api/auth/companies", null),
            new Endpoint("POST", "/api/auth/companies", "{}"),
            new Endpoint("GET", "/api/auth/service-accounts", null),
            new Endpoint("POST", "/api/auth/service-accounts", "{}"),
            new Endpoint("PATCH", "/api/auth/service-accounts/" + TestApi.BILLING_ID, "{}"),
            new Endpoint("POST", "/api/auth/service-accounts/" + TestApi.BILLING_ID + "/secret", null));

    static final List<Endpoint> ADMIN_ONLY = PROTECTED.stream()
            .filter(e -> !e.path().startsWith("/api/auth/me") && !(e.method().equals("GET") && e.path().startsWith("/api/auth/users")))
            .toList();

    @ParameterizedTest(name = "{0} without a token → 401")
    @MethodSource("endpoints")
    void noToken_is401Problem(Endpoint endpoint) {
        endpoint.call(given()).then().statusCode(401).contentType("application/problem+json");
    }

    static Stream<Endpoint> endpoints() {
        return PROTECTED.stream();
    }

    static Stream<Arguments> wrongRole() {
        return ADMIN_ONLY.stream().flatMap(e -> Stream.of(Arguments.of(e, "user"), Arguments.of(e, "service")));
    }

    @ParameterizedTest(name = "{0} as {1} → 403")
    @MethodSource("wrongRole")
    void nonAdmin_onAdminSurface_is403Problem(Endpoint endpoint, String role) {
        String token = role.equals("user") ? TestApi.user1() : TestApi.billing();
        endpoint.call(given().auth().oauth2(token)).then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anotherTenantsUser_is404() {
        given().auth().oauth2(TestApi.user2()).get("/api/auth/users/" + TestApi.USER1_ID)
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void unknownPathAndWrongMediaType_areProblemsToo() {
        given().get("/api/auth/nope").then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("x").post("/api/auth/login")
                .then().statusCode(415).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{not json").post("/api/auth/login")
                .then().statusCode(400).contentType("application/problem+json");
        // found by the OpenAPI fuzzer: a body of the wrong shape got an empty 400
        given().contentType(ContentType.JSON).body("{\"username\":{},\"password\":\"x\"}").post("/api/auth/login")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("username"));
        given().contentType(ContentType.JSON).body("[null]").post("/api/auth/login")
                .then().statusCode(400).contentType("application/problem+json");
    }
}
